import type { Locale } from './locale.ts';

/** Server-side messages of the spot market (merged into MESSAGES in messages.ts). */
export const MARKET_MESSAGES = {
  'market.instrumentNotFound': { zh: '找不到该交易品种。', en: 'Instrument not found.' },
  'market.instrumentHalted': { zh: '该交易品种已暂停交易，不能下单、撤单或改单。', en: 'Trading in this instrument is halted; orders cannot be placed, cancelled or amended.' },
  'market.instrumentExists': { zh: '该规格与等级的交易品种已存在。', en: 'An instrument for this spec and grade already exists.' },
  'market.operatorOnly': { zh: '只有平台运营人员可以管理交易品种。', en: 'Only platform operators can manage instruments.' },
  'market.badKind': { zh: '指令类型无效，应为 place、cancel 或 amend。', en: 'Unknown command kind; use place, cancel or amend.' },
  'market.badSide': { zh: '买卖方向无效，应为 buy 或 sell。', en: 'The side must be buy or sell.' },
  'market.badTif': { zh: '有效期类型无效，应为 GTC 或 IOC。', en: 'The time in force must be GTC or IOC.' },
  'market.badQuantity': { zh: '数量必须是大于 0 且不超过 {max} 的整数克数。', en: 'The quantity must be a whole number of grams above 0 and at most {max}.' },
  'market.badPrice': { zh: '价格必须是大于 0 且不超过 {max} 的整数（单位：分/千克）。', en: 'The price must be a whole number of fen per kg above 0 and at most {max}.' },
  'market.badIdempotencyKey': { zh: '幂等键必须是 1–200 个字符的字符串。', en: 'The idempotency key must be a string of 1–200 characters.' },
  'market.badOrderId': { zh: '请指定要撤销或修改的委托编号。', en: 'Give the id of the order to cancel or amend.' },
  'market.notYourOrder': { zh: '不能撤销或修改其他机构的委托。', en: 'You cannot cancel or amend another organisation\'s order.' },
  'market.orderNotResting': { zh: '该委托不在订单簿中（不存在、已成交或已撤销）。', en: 'This order is not in the book (unknown, filled or cancelled).' },
  'market.notAReduction': { zh: '改单只能减少数量：新数量必须小于当前未成交的 {openG} 克。', en: 'An amendment can only reduce the quantity: it must be below the open {openG} g.' },
  'market.idempotencyMismatch': { zh: '该幂等键已用于另一条指令。', en: 'This idempotency key was already used for a different command.' },
  'market.lotRequired': { zh: '卖出委托必须指定本机构持有的批次。', en: 'A sell order must name a lot your organisation holds.' },
  'market.lotOnBuy': { zh: '买入委托不能指定批次。', en: 'A buy order does not name a lot.' },
  'market.lotNotFound': { zh: '找不到该批次，或该批次不属于本机构。', en: 'Lot not found, or it is not your organisation\'s.' },
  'market.lotSpecMismatch': { zh: '该批次的品种、规格或等级与交易品种不符。', en: 'The lot\'s herb, spec or grade does not match the instrument.' },
  'market.lotInsufficient': { zh: '批次可用库存只有 {available} 克，不足 {grams} 克。', en: 'The lot has only {available} g free, less than {grams} g.' },
} as const satisfies Record<string, Record<Locale, string>>;
