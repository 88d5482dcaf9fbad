import type { Locale } from './locale.ts';
import { TENDER_MESSAGES } from './messages.tenders.ts';
import { RX_MESSAGES } from './messages.rx.ts';
import { PAYMENT_MESSAGES } from './messages.payments.ts';
import { DELIVERY_MESSAGES } from './messages.delivery.ts';
import { MARKET_MESSAGES } from './messages.market.ts';
import { MARKET_DATA_MESSAGES } from './messages.market-data.ts';

/**
 * Server-side messages users see (errors and notices), in both languages. Domain code throws
 * `AppError` with `msg('key')` as its message; the API edge translates it for the caller.
 */
export const MESSAGES = {
  ...TENDER_MESSAGES,
  ...RX_MESSAGES,
  ...PAYMENT_MESSAGES,
  ...DELIVERY_MESSAGES,
  ...MARKET_MESSAGES,
  ...MARKET_DATA_MESSAGES,
  'auth.required': { zh: '请先登录。', en: 'Please sign in first.' },
  'auth.apiKeyInvalid': { zh: 'API 密钥无效或已被撤销。', en: 'The API key is invalid or has been revoked.' },
  'org.required': { zh: '请先选择一个机构。', en: 'Choose an organisation first.' },
  'org.forbidden': { zh: '您在当前机构没有执行此操作的权限（需要 {permission}）。', en: 'You do not have permission for this in the current organisation (needs {permission}).' },
  'org.notFound': { zh: '找不到该机构。', en: 'Organisation not found.' },
  'org.notMember': { zh: '您不是该机构的成员。', en: 'You are not a member of this organisation.' },
  'org.usccTaken': { zh: '该统一社会信用代码已被注册。', en: 'This unified social credit code is already registered.' },
  'org.notApproved': { zh: '机构尚未通过平台审核（KYB），暂不能交易。', en: 'The organisation has not passed platform review (KYB) yet and cannot trade.' },
  'org.licenceMissing': { zh: '缺少有效的{licence}，不能进行此操作；请在“资质证照”中更新。', en: 'A valid {licence} is required for this; renew it under Licences.' },
  'org.kybAlreadyDecided': { zh: '该机构的审核已完成（{status}）。', en: 'This organisation has already been reviewed ({status}).' },
  'org.roleNotForKind': { zh: '角色“{role}”不适用于此类机构。', en: 'The role "{role}" does not apply to this kind of organisation.' },
  'org.alreadyMember': { zh: '该用户已是机构成员。', en: 'This user is already a member.' },
  'invitation.notFound': { zh: '邀请不存在或已失效。', en: 'The invitation does not exist or is no longer valid.' },
  'invitation.wrongEmail': { zh: '此邀请发给了 {email}，请用该邮箱登录后接受。', en: 'This invitation was sent to {email}; sign in with that address to accept it.' },
  'apikey.notFound': { zh: '找不到该 API 密钥。', en: 'API key not found.' },
  'field.uscc.length': { zh: '统一社会信用代码应为 18 位。', en: 'The unified social credit code must have 18 characters.' },
  'field.uscc.charset': { zh: '统一社会信用代码含有不允许的字符（不使用 I、O、Z、S、V）。', en: 'The unified social credit code has characters that are not allowed (I, O, Z, S and V are never used).' },
  'field.uscc.check': { zh: '统一社会信用代码校验位不正确，请核对。', en: 'The check character of the unified social credit code is wrong; please check the code.' },
  'field.region': { zh: '行政区划代码无效（应为 GB/T 2260 的 6 位代码）。', en: 'Unknown region code (a 6-digit GB/T 2260 code is expected).' },
  'field.dateOrder': { zh: '到期日期必须晚于生效日期。', en: 'The expiry date must be after the start date.' },
  'herb.notFound': { zh: '找不到该药材。', en: 'Herb not found.' },
  'audit.notFound': { zh: '找不到该审计记录。', en: 'Audit entry not found.' },
  'upload.tooLarge': { zh: '文件过大（最大 {max}）。', en: 'The file is too large (at most {max}).' },
  'upload.badType': { zh: '不支持的文件类型，请上传 PDF、JPG 或 PNG。', en: 'Unsupported file type; upload a PDF, JPG or PNG.' },
  'upload.noFile': { zh: '请以 multipart/form-data 的 file 字段上传一个文件。', en: 'Send one file as the "file" field of a multipart/form-data request.' },
  'rate.limited': { zh: '请求过于频繁，请稍后再试。', en: 'Too many requests; try again shortly.' },
  'internal': { zh: '服务器出错了，请稍后再试。', en: 'Something went wrong on our side; please try again.' },
  'input.nul': { zh: '不能包含空字符（NUL）。', en: 'Must not contain a NUL character.' },
  'input.loneSurrogate': { zh: '含有无效的 Unicode 字符（孤立的代理项）。', en: 'Contains an invalid Unicode character (a lone surrogate).' },
  'input.tooDeep': { zh: '嵌套层级过深（最多 {max} 层）。', en: 'Nested too deeply (at most {max} levels).' },
  'request.tooLarge': { zh: '请求内容过大（最大 {max}）。', en: 'The request body is too large (at most {max}).' },
  'request.badParam': { zh: '不接受名为“{param}”的查询参数。', en: 'A query parameter named "{param}" is not accepted.' },
  'request.notObject': { zh: '请求内容必须是一个 JSON 对象。', en: 'The request body must be a JSON object.' },
  'jobs.notFound': { zh: '找不到该任务。', en: 'Job not found.' },
  'jobs.notFailed': { zh: '该任务当前状态为 {status}，只有失败的任务可以重试或放弃。', en: 'This job is {status}; only failed jobs can be retried or discarded.' },
  'jobs.changed': { zh: '该任务刚刚被其他操作修改，请刷新后重试。', en: 'This job was changed by someone else just now; refresh and try again.' },
  'field.kybNoteRequired': { zh: '驳回时必须填写理由，机构需要知道如何补正。', en: 'Give a reason to reject, so the organisation knows what to correct.' },
  'catalog.productNotFound': { zh: '找不到该货品（或它不属于当前机构）。', en: 'Product not found (or it does not belong to your organisation).' },
  'catalog.lotNotFound': { zh: '找不到该批次（或它不属于当前机构）。', en: 'Lot not found (or it does not belong to your organisation).' },
  'catalog.listingNotFound': { zh: '找不到该挂牌。', en: 'Listing not found.' },
  'catalog.batchTaken': { zh: '批号“{batchNo}”已存在，请使用新的批号。', en: 'Batch number "{batchNo}" already exists; use a new one.' },
  'catalog.expiryBeforeProduction': { zh: '有效期至必须晚于生产日期。', en: 'The expiry date must be after the production date.' },
  'catalog.harvestAfterProduction': { zh: '采收日期不能晚于生产日期。', en: 'The harvest date cannot be after the production date.' },
  'catalog.tierMinIncreasing': { zh: '阶梯价的起订量必须逐级递增。', en: 'Tier quantities must strictly increase.' },
  'catalog.tierPriceIncreasing': { zh: '阶梯价不能高于上一级价格（或基础价）。', en: 'A tier price cannot be higher than the previous tier (or the base price).' },
  'catalog.tierBelowMinOrder': { zh: '阶梯价的起订量必须大于最小起订量。', en: 'Tier quantities must be above the minimum order.' },
  'catalog.minOrderAboveStock': { zh: '最小起订量不能超过批次库存（{available} 公斤）。', en: 'The minimum order cannot exceed the lot stock ({available} kg).' },
  'catalog.invalidTransition': { zh: '挂牌不能从“{from}”变为“{to}”。', en: 'A listing cannot go from "{from}" to "{to}".' },
  'catalog.listingNotActive': { zh: '该挂牌当前不在售。', en: 'This listing is not on sale.' },
  'catalog.ownListing': { zh: '不能预留本机构自己的挂牌。', en: 'You cannot reserve your own listing.' },
  'catalog.belowMinOrder': { zh: '数量低于最小起订量（{min} 公斤）。', en: 'The quantity is below the minimum order ({min} kg).' },
  'catalog.insufficientStock': { zh: '库存不足：当前可售 {available} 公斤，需要 {kg} 公斤。', en: 'Not enough stock: {available} kg available, {kg} kg asked.' },
  'catalog.idempotencyMismatch': { zh: '该幂等键已用于另一个请求。', en: 'This idempotency key was already used for a different request.' },
  'catalog.reservationNotFound': { zh: '找不到该库存预留。', en: 'Stock reservation not found.' },
  'orders.invalidTransition': { zh: '订单不能从“{from}”变为“{to}”。', en: 'An order cannot go from "{from}" to "{to}".' },
  'orders.notYourMove': { zh: '您在此订单中的身份不能执行该操作（{to}）。', en: 'Your side of this order cannot do this ({to}).' },
  'orders.notFound': { zh: '找不到该订单。', en: 'Order not found.' },
  'security.crossSite': { zh: '请求来自其他网站，已拒绝（跨站请求伪造防护）。', en: 'The request came from another site and was refused (cross-site request forgery protection).' },
  'orders.marketTradeBinding': { zh: '现货成交订单是买卖双方的交收合同，买方不能单方取消；如有问题请与卖方协商，或在收货时发起争议。', en: 'A spot market trade is a binding contract between the parties; the buyer cannot cancel it alone. Talk to the seller, or open a dispute at delivery.' },
  'orders.cartItemNotFound': { zh: '购物车中没有该商品。', en: 'This item is not in your cart.' },
  'orders.cartEmpty': { zh: '购物车是空的。', en: 'Your cart is empty.' },
  'orders.aboveStock': { zh: '数量超过可售库存（{available} 公斤）。', en: 'The quantity exceeds the available stock ({available} kg).' },
  'orders.stockConflict': { zh: '“{product}”库存不足：当前可售 {available} 公斤，需要 {kg} 公斤。未创建任何订单。', en: 'Not enough stock of "{product}": {available} kg available, {kg} kg asked. No order was placed.' },
  'orders.listingGone': { zh: '“{product}”已下架，请从购物车移除后重试。未创建任何订单。', en: '"{product}" is no longer on sale; remove it from the cart and try again. No order was placed.' },
  'orders.refundTooLarge': { zh: '退款金额不能超过可退金额（¥{max}）。', en: 'The refund cannot exceed the refundable amount (¥{max}).' },
  'orders.nothingToRefund': { zh: '该订单没有可退的已收款项。', en: 'This order has no captured money left to refund.' },
  'orders.notCaptured': { zh: '货款尚未扣款成功，暂不能退款。', en: 'The payment has not been captured yet; a refund is not possible now.' },
  'orders.idempotencyMismatch': { zh: '该幂等键已用于另一个请求。', en: 'This idempotency key was already used for a different request.' },
  'field.positiveGrams': { zh: '请输入大于 0 的整数克数。', en: 'Enter a whole number of grams above 0.' },
  'field.integerFen': { zh: '价格必须是大于 0 的整数（单位：分）。', en: 'The price must be a whole number of fen above 0.' },
  'field.decimal': { zh: '请输入数字（最多 3 位小数）。', en: 'Enter a number (at most 3 decimals).' },
  'trace.lotNotFound': { zh: '找不到该批次的追溯信息。', en: 'No trace information for this lot.' },
  'trace.uploadNotFound': { zh: '找不到该文件（或它不属于当前机构）。', en: 'File not found (or it does not belong to your organisation).' },
  'import.notFound': { zh: '找不到该导入任务。', en: 'Import not found.' },
  'import.badFile': { zh: '无法识别的文件：请上传 CSV（UTF-8）或 Excel（.xlsx）文件。', en: 'Unrecognised file: upload a CSV (UTF-8) or an Excel (.xlsx) file.' },
  'import.tooLarge': { zh: '文件过大（最大 {max}）。', en: 'The file is too large (at most {max}).' },
  'import.tooManyRows': { zh: '行数过多：最多 {max} 行，文件中有 {rows} 行。', en: 'Too many rows: at most {max}, the file has {rows}.' },
  'import.empty': { zh: '文件中没有数据行。', en: 'The file has no data rows.' },
  'import.badHeaders': { zh: '表头不正确：{problem}。应包含的表头为：{expected}。', en: 'Wrong headers: {problem}. Expected headers: {expected}.' },
  'import.badMode': { zh: '导入方式无效，应为 all_or_nothing 或 valid_rows。', en: 'Unknown import mode; use all_or_nothing or valid_rows.' },
  'import.required': { zh: '必填。', en: 'Required.' },
  'import.badValue': { zh: '值“{value}”无效，可选：{allowed}。', en: 'Invalid value "{value}"; allowed: {allowed}.' },
  'import.badNumber': { zh: '应为大于 0 的数字（最多 {decimals} 位小数）。', en: 'Must be a number above 0 (at most {decimals} decimals).' },
  'import.badDate': { zh: '日期应为 YYYY-MM-DD。', en: 'Dates must be YYYY-MM-DD.' },
  'import.badBoolean': { zh: '应为 是/否。', en: 'Must be yes/no.' },
  'import.badText': { zh: '格式不正确或过长。', en: 'Wrong format or too long.' },
  'import.duplicateBatch': { zh: '批号“{batchNo}”在文件中重复（第 {first} 行）。', en: 'Batch number "{batchNo}" repeats row {first} of the file.' },
  'import.unknownHerb': { zh: '药材库中没有“{herb}”。', en: 'No herb named "{herb}" in the herb catalogue.' },
  'import.rolledBack': { zh: '文件中有错误行，按“全部或不导入”方式未写入任何数据。', en: 'The file has bad rows; with all-or-nothing nothing was written.' },
} as const satisfies Record<string, Record<Locale, string>>;

export type MessageKey = keyof typeof MESSAGES;
const PREFIX = 'msg:';

/** A message parameter: the same in every language, or a word of each language (a step's name, say). */
export type MessageParam = string | number | Readonly<Record<Locale, string>>;

/** Encodes a message key with parameters so it survives as an Error message until translated. */
export function msg(key: MessageKey, params: Record<string, MessageParam> = {}): string {
  return Object.keys(params).length ? `${PREFIX}${key}|${JSON.stringify(params)}` : `${PREFIX}${key}`;
}

export function translate(message: string, locale: Locale): string {
  if (!message.startsWith(PREFIX)) return message;
  const [key, rawParams] = message.slice(PREFIX.length).split(/\|(.*)/s, 2) as [string, string | undefined];
  const entry = (MESSAGES as Record<string, Record<Locale, string>>)[key];
  if (!entry) return key;
  const params = rawParams ? (JSON.parse(rawParams) as Record<string, MessageParam>) : {};
  return entry[locale].replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) return `{${name}}`;
    return String(typeof value === 'object' ? value[locale] : value);
  });
}
