import type { Locale } from './locale.ts';

/** Server-side messages of delivery tracking (shipments, carrier webhooks), merged into MESSAGES in messages.ts. */
export const DELIVERY_MESSAGES = {
  'shipments.notFound': { zh: '找不到该运单。', en: 'Shipment not found.' },
  'shipments.invalidTransition': { zh: '运单不能从“{from}”执行“{to}”。', en: 'A shipment cannot go from "{from}" to "{to}".' },
  'shipments.notYourMove': { zh: '您在此运单中的身份不能执行该操作（{to}）。', en: 'Your side of this shipment cannot do this ({to}).' },
  'shipments.onlyReceiverRefuses': { zh: '只有收货方可以登记“拒收”。', en: 'Only the receiver can record a refusal.' },
  'shipments.orderNotFound': { zh: '找不到该订单（或贵机构不是它的卖方）。', en: 'Order not found (or your organisation is not its seller).' },
  'shipments.orderNotShippable': { zh: '订单状态为“{status}”，不能发货。', en: 'The order is {status}; it cannot be shipped.' },
  'shipments.prescriptionNotFound': { zh: '找不到该处方（或贵机构不是接单药房）。', en: 'Prescription not found (or your organisation is not the dispensing pharmacy).' },
  'shipments.prescriptionNotForDelivery': { zh: '该处方为到店自取，无需配送。', en: 'This prescription is collected in store; it is not delivered.' },
  'shipments.unknownCarrier': { zh: '不支持的承运商“{carrier}”。', en: 'Unknown carrier "{carrier}".' },
  'shipments.simulatedUnavailable': { zh: '演示承运商只在演示模式下可用，请选择顺丰速运或京东物流。', en: 'The demo carrier is only available in demo mode; choose SF Express or JD Logistics.' },
  'shipments.trackingNumberFormat': { zh: '运单号格式不符合{carrier}的规则。', en: 'The tracking number does not match the {carrier} format.' },
  'shipments.trackingNumberTaken': { zh: '该承运商的运单号 {trackingNumber} 已被使用。', en: 'Tracking number {trackingNumber} is already used with this carrier.' },
  'shipments.trackingNumberRequired': { zh: '请填写承运商的运单号。', en: 'Enter the carrier’s tracking number.' },
  'shipments.addressRequired': { zh: '请填写收货地址。', en: 'Enter the delivery address.' },
  'shipments.reasonRequired': { zh: '请选择异常原因。', en: 'Choose the reason for the exception.' },
  'webhook.unknownCarrier': { zh: '未知的承运商“{carrier}”。', en: 'Unknown carrier "{carrier}".' },
  'webhook.missingSignature': { zh: '缺少签名请求头 {header}。', en: 'The {header} header is missing.' },
  'webhook.malformedSignature': { zh: '签名请求头 {header} 格式不正确。', en: 'The {header} header is malformed.' },
  'webhook.badSignature': { zh: '签名校验失败。', en: 'The signature does not match.' },
  'webhook.staleTimestamp': { zh: '请求时间戳超出允许的 {seconds} 秒窗口。', en: 'The timestamp is outside the {seconds}-second window.' },
  'webhook.replayed': { zh: '该签名请求已处理过，重放被拒绝。', en: 'This signed delivery was already received; the replay is refused.' },
  'webhook.malformedBody': { zh: '请求内容不正确：{problem}', en: 'The body is not valid: {problem}' },
  'webhook.unknownTracking': { zh: '找不到运单号 {trackingNumber}。', en: 'No shipment has tracking number {trackingNumber}.' },
  'webhook.failed': { zh: '事件处理失败，请稍后重发。', en: 'The event could not be processed; send it again later.' },
} as const satisfies Record<string, Record<Locale, string>>;
