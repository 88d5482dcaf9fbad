import type { Locale } from './locale.ts';

/** Server-side messages of payment methods, net terms and disputes (merged into MESSAGES in messages.ts). */
export const PAYMENT_MESSAGES = {
  'pay.notOnline': { zh: '该订单使用{method}，不经过在线收银台。', en: 'This order is paid by {method}, not on the checkout page.' },
  'pay.nothingToPay': { zh: '这次结算没有待支付的订单。', en: 'Nothing in this checkout is waiting for payment.' },
  'pay.windowClosed': { zh: '支付时限已过，订单已取消、库存已释放。', en: 'The payment window has closed; the order was cancelled and its stock released.' },
  'pay.notBankTransfer': { zh: '只有对公转账的订单可以确认到账。', en: 'Only bank-transfer orders can be confirmed as received.' },
  'pay.amountMismatch': { zh: '到账金额 ¥{received} 与订单应付金额 ¥{due} 不符；请核对后再确认，或联系买方。', en: 'The amount received (¥{received}) differs from the amount due (¥{due}); check it or contact the buyer.' },
  'pay.overOnlineLimit': {
    zh: '在线支付（银行卡、支付宝、微信支付）单笔不能超过 ¥{max}，本单 ¥{total}：请选择对公转账或账期，或分成几笔订单。',
    en: 'An online payment (card, Alipay, WeChat Pay) may be at most ¥{max}; this order is ¥{total}. Choose bank transfer or net terms, or split the order.',
  },
  'pay.referenceUsed': { zh: '该订单已按银行流水号 {reference} 确认到账。', en: 'This order was already confirmed as received with bank reference {reference}.' },
  'credit.noLine': { zh: '卖方“{seller}”未给贵机构开通账期，请选择其他支付方式。', en: 'The seller "{seller}" has not granted your organisation payment terms; choose another method.' },
  'credit.overdue': { zh: '贵机构在“{seller}”有逾期未付的发票，账期已暂停；请先付清逾期款项。', en: 'Your organisation has overdue invoices with "{seller}"; payment terms are paused until they are paid.' },
  'credit.overLimit': { zh: '超出“{seller}”给予的信用额度：可用 ¥{available}，本单 ¥{total}。', en: 'Over the credit limit granted by "{seller}": ¥{available} available, this order is ¥{total}.' },
  'credit.buyerNotEligible': { zh: '只能给已通过审核的医院或药房开通账期。', en: 'Payment terms can only be granted to approved hospitals and pharmacies.' },
  'credit.notSeller': { zh: '只有供应商和种植基地可以给客户开通账期。', en: 'Only suppliers and growers can grant payment terms.' },
  'credit.notOwnOrg': { zh: '不能给本机构开通账期。', en: 'An organisation cannot grant payment terms to itself.' },
  'invoice.notFound': { zh: '该订单没有发票（只有账期订单发货后开票）。', en: 'This order has no invoice (net-terms orders are invoiced when shipped).' },
  'invoice.alreadyPaid': { zh: '该发票已于 {paidAt} 核销。', en: 'This invoice was already settled on {paidAt}.' },
} as const satisfies Record<string, Record<Locale, string>>;
