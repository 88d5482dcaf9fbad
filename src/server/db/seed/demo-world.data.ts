import type { OrgKind, Role } from '../../../lib/permissions.ts';
import type { LicenceType } from '../../domains/orgs/licences.core.ts';

/**
 * The demo world's people and organisations (CONTRACTS.md "Demo mode"). USCCs carry valid check
 * characters (computed at seed time from the first 17 characters given here).
 */
export const DEMO_PASSWORD = 'bencao-demo-2026';

export interface DemoPerson {
  email: string;
  name: string;
  role: Role;
}

export interface DemoOrg {
  key: string;
  name: string;
  kind: OrgKind;
  usccStem: string; // first 17 characters
  regionCode: string;
  address: string;
  lat: number;
  lng: number;
  kyb: 'approved' | 'pending';
  licence?: { type: LicenceType; number: string; scope: string; expiresOn: string };
  people: DemoPerson[];
}

const owner = (email: string, name: string): DemoPerson => ({ email, name, role: 'owner' });

const PHARMACY_SITES: [string, string, string, number, number][] = [
  ['杭州', '330106', '西湖区文三路 259 号', 30.2775, 120.1303],
  ['杭州', '330105', '拱墅区莫干山路 100 号', 30.2921, 120.1498],
  ['杭州', '330102', '上城区解放路 88 号', 30.2553, 120.1726],
  ['杭州', '330108', '滨江区江南大道 588 号', 30.2084, 120.2112],
  ['杭州', '330110', '余杭区文一西路 998 号', 30.2888, 120.0061],
  ['杭州', '330109', '萧山区人民路 300 号', 30.1667, 120.2667],
  ['宁波', '330203', '海曙区中山西路 138 号', 29.8696, 121.5440],
  ['宁波', '330212', '鄞州区天童南路 588 号', 29.8166, 121.5487],
  ['温州', '330302', '鹿城区人民东路 55 号', 28.0126, 120.6645],
  ['绍兴', '330602', '越城区解放北路 200 号', 30.0024, 120.5822],
  ['嘉兴', '330402', '南湖区中山东路 666 号', 30.7526, 120.7583],
  ['湖州', '330502', '吴兴区红旗路 100 号', 30.8703, 120.0937],
  ['金华', '330702', '婺城区八一南街 300 号', 29.0789, 119.6476],
  ['台州', '331002', '椒江区市府大道 400 号', 28.6562, 121.4207],
  ['上海', '310101', '黄浦区南京东路 500 号', 31.2379, 121.4803],
  ['上海', '310104', '徐汇区漕溪北路 88 号', 31.1883, 121.4369],
  ['上海', '310115', '浦东新区张杨路 1000 号', 31.2304, 121.5273],
  ['苏州', '320508', '姑苏区人民路 1500 号', 31.3085, 120.6171],
  ['南京', '320106', '鼓楼区中山路 321 号', 32.0617, 118.7778],
  ['合肥', '340104', '蜀山区长江西路 200 号', 31.8509, 117.2508],
  ['杭州', '330106', '西湖区天目山路 398 号', 30.2744, 120.1220],
  ['杭州', '330105', '拱墅区湖墅南路 186 号', 30.2870, 120.1570],
];

const pharmacies: DemoOrg[] = PHARMACY_SITES.map(([city, region, street, lat, lng], i) => {
  const n = String(i + 1).padStart(2, '0');
  return {
    key: `pharmacy-${n}`,
    name: i === 0 ? '杭州本草大药房（文三路店）' : `${city}本草连锁药房第${n}店`,
    kind: 'pharmacy',
    usccStem: `91${region}MA2P000${n}`,
    regionCode: region,
    address: `${street}`,
    lat,
    lng,
    kyb: 'approved',
    licence: { type: 'drug_distribution', number: `浙CA57100${n}`, scope: '中药饮片、中成药、化学药制剂', expiresOn: '2029-06-30' },
    people:
      i === 0
        ? [owner('pharmacy@bencao.demo', '王店长'), { email: 'pharmacist@bencao.demo', name: '李药师', role: 'pharmacist' }, { email: 'buyer@bencao.demo', name: '赵采购', role: 'buyer' }]
        : [owner(`pharmacy${n}@bencao.demo`, `药房${n}负责人`)],
  };
});

const SUPPLIERS: [string, string, string, number, number, OrgKind][] = [
  ['亳州本草饮片有限公司', '341602', '谯城区中药材大道 1 号', 33.8446, 115.7785, 'supplier'],
  ['安国药都饮片股份有限公司', '130683', '药市街 18 号', 38.4185, 115.3268, 'supplier'],
  ['浙江康恩贝中药饮片有限公司', '330782', '义乌市稠州北路 88 号', 29.3151, 120.0751, 'supplier'],
  ['四川新荷花中药饮片有限公司', '510107', '武侯区人民南路 10 号', 30.6425, 104.0431, 'supplier'],
  ['甘肃岷归饮片有限公司', '621126', '岷县岷阳镇 6 号', 34.4383, 104.0366, 'supplier'],
  ['云南文山三七饮片有限公司', '532601', '文山市七都大道 9 号', 23.3694, 104.2332, 'supplier'],
  ['陇西黄芪种植专业合作社', '621122', '陇西县首阳镇', 35.0040, 104.6340, 'grower'],
  ['岷县当归种植基地', '621126', '岷县梅川镇', 34.4700, 104.1000, 'grower'],
  ['文山三七种植合作社', '532601', '文山市东山乡', 23.4000, 104.3000, 'grower'],
  ['亳州白芍种植专业合作社', '341602', '谯城区十八里镇', 33.9000, 115.8500, 'grower'],
  ['宁夏中宁枸杞种植基地', '640521', '中宁县宁安镇', 37.4910, 105.6850, 'grower'],
];

const suppliers: DemoOrg[] = SUPPLIERS.map(([name, region, address, lat, lng, kind], i) => {
  const n = String(i + 1).padStart(2, '0');
  const isSupplier = kind === 'supplier';
  return {
    key: `${kind}-${n}`,
    name,
    kind,
    usccStem: `91${region}MA3T000${n}`,
    regionCode: region,
    address,
    lat,
    lng,
    kyb: 'approved',
    licence: isSupplier
      ? { type: 'drug_manufacturing', number: `皖2016000${n}`, scope: '中药饮片（净制、切制、炒制、炙制、煅制、蒸制）', expiresOn: '2030-12-31' }
      : { type: 'gap_base', number: `GAP-2024-00${n}`, scope: '中药材规范化种植', expiresOn: '2028-12-31' },
    people:
      i === 0
        ? [owner('supplier@bencao.demo', '孙总'), { email: 'sales@bencao.demo', name: '周销售', role: 'sales' }]
        : i === 6
          ? [owner('grower@bencao.demo', '陈社长')]
          : [owner(`${kind}${n}@bencao.demo`, `${name.slice(0, 4)}负责人`)],
  };
});

const HOSPITALS: [string, string, string, number, number][] = [
  ['浙江省中医院', '330102', '上城区邮电路 54 号', 30.2594, 120.1697],
  ['杭州市中医院', '330106', '西湖区体育场路 453 号', 30.2797, 120.1569],
  ['上海曙光医院互联网医院', '310101', '黄浦区普安路 185 号', 31.2264, 121.4779],
  ['宁波市中医院云诊室', '330203', '海曙区丽园北路 819 号', 29.8787, 121.5197],
];

const hospitals: DemoOrg[] = HOSPITALS.map(([name, region, address, lat, lng], i) => {
  const n = String(i + 1).padStart(2, '0');
  return {
    key: `hospital-${n}`,
    name,
    kind: 'hospital',
    usccStem: `12${region}47H0000${n}`,
    regionCode: region,
    address,
    lat,
    lng,
    kyb: 'approved',
    licence: { type: 'medical_institution', number: `PDY000${n}-33010012A5101`, scope: '中医科、内科、外科、妇科、儿科', expiresOn: '2031-03-31' },
    people:
      i === 0
        ? [owner('hospital@bencao.demo', '钱院长'), { email: 'doctor@bencao.demo', name: '吴医师', role: 'physician' }, { email: 'hospital-pharmacist@bencao.demo', name: '郑药师', role: 'pharmacist' }]
        : [owner(`hospital${n}@bencao.demo`, `${name.slice(0, 4)}负责人`), { email: `doctor${n}@bencao.demo`, name: `医师${n}`, role: 'physician' }],
  };
});

export const DEMO_ORGS: DemoOrg[] = [
  {
    key: 'operator',
    name: '本草平台运营中心',
    kind: 'operator',
    usccStem: '91330100MA2B00000',
    regionCode: '330100',
    address: '杭州市西湖区文一西路 969 号',
    lat: 30.2931,
    lng: 120.0365,
    kyb: 'approved',
    people: [{ email: 'ops@bencao.demo', name: '运营小刘', role: 'operator_admin' }],
  },
  {
    key: 'alliance',
    name: '浙江省中药饮片省际采购联盟',
    kind: 'alliance',
    usccStem: '11330000MB1A00001',
    regionCode: '330000',
    address: '杭州市上城区庆春路 223 号（浙江省医疗保障局）',
    lat: 30.2615,
    lng: 120.1792,
    kyb: 'approved',
    people: [owner('alliance@bencao.demo', '冯主任'), { email: 'officer@bencao.demo', name: '褚专员', role: 'alliance_officer' }],
  },
  ...suppliers,
  ...pharmacies,
  ...hospitals,
  {
    key: 'pending-pharmacy',
    name: '嘉兴新开张大药房',
    kind: 'pharmacy',
    usccStem: '91330402MA2P09990',
    regionCode: '330402',
    address: '南湖区禾兴南路 1 号',
    lat: 30.7466,
    lng: 120.7555,
    kyb: 'pending',
    people: [owner('newpharmacy@bencao.demo', '蒋老板')],
  },
];

/** Demo-only API keys (CONTRACTS.md): never created outside demo mode. */
export const DEMO_API_KEYS = [
  { orgKey: 'hospital-01', key: 'demo-hospital-key', name: '演示 HIS 接口' },
  { orgKey: 'pharmacy-01', key: 'demo-pharmacy-key', name: '演示药房系统' },
] as const;
