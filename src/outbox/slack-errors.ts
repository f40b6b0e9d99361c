// Slack's answers in the outbox's vocabulary: which failures are the row's own (permanent), which
// are everyone's (the token: pause the queue), which are worth retrying, which ask us to wait.
import { ErrorCode } from '@slack/web-api';
import {
  DeferredError,
  NotReadyError,
  PermanentError,
  QueuePausedError,
  RetryAfterError,
  TransientError,
} from './deliverer.ts';

/**
 * The token does not work: every row would fail the same way, so the queue pauses instead of
 * killing rows (issue 6, fault 4), until auth.test works again. Only codes Slack documents as being
 * about the token itself belong here; a refusal about one conversation would pause every row for
 * one row's sake, and a pause never ages its rows out.
 */
export const AUTH_CODES = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
]);

// Slack error codes that no retry of this row will fix. Anything else (internal_error, fatal_error,
// service_unavailable, request_timeout, unknown codes) is retried with backoff until the row's age limit.
const PERMANENT_CODES = new Set([
  // Refusals about one conversation or resource, not the token (Slack's method docs):
  // no_permission, "make sure your app is a member of the conversation"; team_access_not_granted, an
  // org-wide app not granted the workspace that holds the channel; ekm_access_denied, posting
  // suspended by the admins' Enterprise Key Management; access_denied, the resource is refused.
  // auth.test keeps working through all of them, so a pause would never end.
  'no_permission',
  'team_access_not_granted',
  'ekm_access_denied',
  'access_denied',
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'invalid_channel',
  'invalid_blocks',
  'invalid_blocks_format',
  'invalid_attachments',
  'invalid_metadata_format',
  'invalid_metadata_schema',
  'metadata_too_large',
  'msg_too_long',
  'no_text',
  'too_many_attachments',
  'message_not_found',
  'cant_update_message',
  'edit_window_closed',
  'user_not_found',
  'users_not_found',
  'user_not_in_channel',
  'user_disabled',
  'cannot_dm_bot',
  'no_such_subteam',
  'subteam_not_found',
  'invalid_users',
  'permission_denied',
  'restricted_action',
  'restricted_action_read_only_channel',
  'restricted_action_thread_only_channel',
  'restricted_action_non_threadable_channel',
  'missing_scope',
  'not_allowed_token_type',
  'invalid_arguments',
  'invalid_arg_name',
  'invalid_array_arg',
  'invalid_charset',
  'invalid_form_data',
  'method_deprecated',
  'deprecated_endpoint',
  'file_not_found',
  'unknown_method',
  'method_not_supported_for_channel_type',
  // views.update / views.publish (https://api.slack.com/methods/views.update#errors): the modal is
  // gone or the view is refused as built; another try cannot help.
  'not_found',
  'view_too_large',
  'hash_conflict',
  'invalid_user',
]);

/** Maps a WebClient failure to what the outbox should do. Checks codes, not classes, so a second copy of the SDK still matches. */
export function translate(method: string, err: unknown): Error {
  const e = err as {
    code?: string;
    retryAfter?: number;
    data?: { error?: string };
    statusCode?: number;
    original?: Error;
    message?: string;
  };
  switch (e.code) {
    case ErrorCode.RateLimitedError: {
      const seconds = e.retryAfter ?? 1;
      return new RetryAfterError(seconds, `slack ${method}: rate limited, retry after ${seconds} s`);
    }
    case ErrorCode.PlatformError: {
      const code = e.data?.error ?? 'unknown_error';
      if (code === 'ratelimited') return new RetryAfterError(1, `slack ${method}: ratelimited`);
      if (AUTH_CODES.has(code)) return new QueuePausedError(`slack ${method}: ${code}`, 'auth', code);
      return PERMANENT_CODES.has(code)
        ? new PermanentError(`slack ${method}: ${code}`, code)
        : new TransientError(`slack ${method}: ${code}`, code);
    }
    case ErrorCode.HTTPError: {
      const status = e.statusCode ?? 0;
      const message = `slack ${method}: HTTP ${status}`;
      return status >= 500 || status === 408
        ? new TransientError(message, `http_${status}`)
        : new PermanentError(message, `http_${status}`);
    }
    case ErrorCode.RequestError:
      return new TransientError(
        `slack ${method}: ${e.original?.message ?? e.message ?? 'request failed'}`,
        'request_error',
      );
    case ErrorCode.FileUploadInvalidArgumentsError:
    case ErrorCode.FileUploadReadFileDataError:
      return new PermanentError(`slack ${method}: ${e.message ?? 'invalid file'}`);
    default:
      if (
        err instanceof RetryAfterError ||
        err instanceof PermanentError ||
        err instanceof TransientError ||
        err instanceof NotReadyError ||
        err instanceof DeferredError ||
        err instanceof QueuePausedError
      )
        return err;
      return new TransientError(`slack ${method}: ${e.message ?? String(err)}`);
  }
}
