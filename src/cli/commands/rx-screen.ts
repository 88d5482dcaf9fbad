import { CliInputError, parseJsonDocument, parseWith, type CliCommand } from '../io.ts';
import { screenPrescription, type ScreeningFlag, type ScreeningLocale } from '../../server/domains/prescriptions/screening.core.ts';
import { rxScreenInputSchema } from '../../server/domains/prescriptions/screening.types.ts';

/**
 * `bencao rx-screen [--lang zh|en] < input.json` (CONTRACTS.md): safety screening of one TCM
 * prescription; prints `{"flags":[{"code","severity","herbs","message"}]}` (`suggestions` only on
 * UNKNOWN_HERB). Messages are zh-CN unless `--lang en`.
 */
export const summary = 'safety screening of one TCM prescription (十八反/十九畏, dose, pregnancy, handling)';

const LANGS: Readonly<Record<string, ScreeningLocale>> = { zh: 'zh', 'zh-CN': 'zh', 'zh-cn': 'zh', en: 'en' };

function localeFrom(args: readonly string[]): ScreeningLocale {
  let locale: ScreeningLocale = 'zh';
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    let value: string | undefined;
    if (arg === '--lang') value = args[++i];
    else if (arg.startsWith('--lang=')) value = arg.slice('--lang='.length);
    else throw new CliInputError('(args)', `unknown option "${arg}" (expected --lang zh|en)`);
    const mapped = value === undefined ? undefined : LANGS[value];
    if (!mapped) throw new CliInputError('--lang', 'must be zh or en');
    locale = mapped;
  }
  return locale;
}

/** The contract's JSON shape, keys in contract order. */
function toJson(flag: ScreeningFlag) {
  const { code, severity, herbs, message } = flag;
  return flag.code === 'UNKNOWN_HERB'
    ? { code, severity, herbs, message, suggestions: flag.suggestions ?? [] }
    : { code, severity, herbs, message };
}

export const run: CliCommand = (stdin, args = []) => {
  const locale = localeFrom(args);
  const input = parseWith(rxScreenInputSchema, parseJsonDocument(stdin));
  const { flags } = screenPrescription(input, { locale });
  return JSON.stringify({ flags: flags.map(toJson) });
};
