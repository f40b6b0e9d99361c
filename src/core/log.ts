// pino with secrets redacted wherever they may appear: headers, tokens, connection strings.
import pino, { type Logger, type DestinationStream } from 'pino';

export type { Logger } from 'pino';

const REDACT = [
  'token',
  '*.token',
  'password',
  '*.password',
  'headers.authorization',
  'req.headers.authorization',
  'req.headers["x-slack-signature"]',
  'botToken',
  '*.botToken',
  'signingSecret',
  '*.signingSecret',
  'appToken',
  '*.appToken',
  'secret',
  '*.secret',
];

const TOKEN_PATTERN =
  /\b(xox[abposr]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]+)/g;
const URL_PASSWORD = /(\w+:\/\/[^:/\s]+:)[^@\s]+@/g;

/** Masks tokens and URL passwords inside free text (error messages end up in logs and in the outbox). */
export function redactText(text: string): string {
  return text.replace(TOKEN_PATTERN, '[redacted]').replace(URL_PASSWORD, '$1[redacted]@');
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
      hooks: {
        logMethod(args, method) {
          const masked = args.map((a) => (typeof a === 'string' ? redactText(a) : a)) as typeof args;
          method.apply(this, masked);
        },
      },
      serializers: {
        err: (e: Error) => ({
          type: e.name,
          message: redactText(e.message),
          stack: e.stack && redactText(e.stack),
        }),
      },
    },
    destination ?? pino.destination({ dest: 2, sync: false }),
  );
}
