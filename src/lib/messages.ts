import type { Locale } from './locale.ts';

/**
 * Server-side messages users see (errors and notices), in both languages. Domain code throws
 * `AppError` with `msg('key')` as its message; the API edge translates it for the caller.
 */
export const MESSAGES = {
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
  'rate.limited': { zh: '请求过于频繁，请稍后再试。', en: 'Too many requests; try again shortly.' },
  'internal': { zh: '服务器出错了，请稍后再试。', en: 'Something went wrong on our side; please try again.' },
  'jobs.notFound': { zh: '找不到该任务。', en: 'Job not found.' },
  'jobs.notFailed': { zh: '该任务当前状态为 {status}，只有失败的任务可以重试或放弃。', en: 'This job is {status}; only failed jobs can be retried or discarded.' },
  'jobs.changed': { zh: '该任务刚刚被其他操作修改，请刷新后重试。', en: 'This job was changed by someone else just now; refresh and try again.' },
  'field.kybNoteRequired': { zh: '驳回时必须填写理由，机构需要知道如何补正。', en: 'Give a reason to reject, so the organisation knows what to correct.' },
} as const satisfies Record<string, Record<Locale, string>>;

export type MessageKey = keyof typeof MESSAGES;
const PREFIX = 'msg:';

/** Encodes a message key with parameters so it survives as an Error message until translated. */
export function msg(key: MessageKey, params: Record<string, string | number> = {}): string {
  return Object.keys(params).length ? `${PREFIX}${key}|${JSON.stringify(params)}` : `${PREFIX}${key}`;
}

export function translate(message: string, locale: Locale): string {
  if (!message.startsWith(PREFIX)) return message;
  const [key, rawParams] = message.slice(PREFIX.length).split(/\|(.*)/s, 2) as [string, string | undefined];
  const entry = (MESSAGES as Record<string, Record<Locale, string>>)[key];
  if (!entry) return key;
  const params = rawParams ? (JSON.parse(rawParams) as Record<string, string | number>) : {};
  return entry[locale].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}
