import { PostError, type PostFailure } from '../../core/platform.ts';

/** Slack error codes grouped by what the caller should do about them. */
const KIND_BY_CODE: Record<string, PostFailure> = {
  channel_not_found: 'gone',
  is_archived: 'gone',
  not_in_channel: 'forbidden',
  restricted_action: 'forbidden',
  missing_scope: 'forbidden',
  invalid_auth: 'auth',
  token_revoked: 'auth',
  account_inactive: 'auth',
  not_authed: 'auth',
  ratelimited: 'rate',
  // Private messages: the person cannot get DMs from the bot.
  cannot_dm_bot: 'closed',
  user_not_found: 'closed',
  users_not_found: 'closed',
  user_disabled: 'closed',
  user_not_visible: 'closed',
};

interface WebApiErrorShape {
  code?: string;
  data?: { error?: string };
  retryAfter?: number;
  message?: string;
}

/** The Slack error code of a failed Web API call (`not_in_channel`, ...), if it carries one. */
export function slackErrorCode(error: unknown): string | undefined {
  const code = (error as WebApiErrorShape | undefined)?.data?.error;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Turns a Web API failure into a PostError: the scheduler pauses a subscription on gone, forbidden
 * and auth, and retries rate (after Slack's Retry-After) and transient failures itself.
 */
export function toPostError(error: unknown, what: string): PostError {
  if (error instanceof PostError) return error;
  const shape = (error ?? {}) as WebApiErrorShape;
  if (shape.code === 'slack_webapi_rate_limited_error') {
    const seconds = typeof shape.retryAfter === 'number' ? shape.retryAfter : 1;
    return new PostError('rate', `${what}: rate limited by Slack`, Math.max(0, seconds) * 1000);
  }
  const code = slackErrorCode(error);
  if (code) {
    const kind = KIND_BY_CODE[code] ?? 'transient';
    return new PostError(kind, `${what}: ${code}`, kind === 'rate' ? 1000 : undefined);
  }
  const reason =
    shape.code === 'slack_webapi_http_error'
      ? 'Slack answered with an HTTP error'
      : shape.code === 'slack_webapi_request_error'
        ? 'could not reach Slack'
        : error instanceof Error
          ? error.message
          : String(error);
  return new PostError('transient', `${what}: ${reason}`);
}
