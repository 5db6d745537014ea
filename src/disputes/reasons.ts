import type { ReplyAction } from '../core/reply.ts';
import type { DisputeReason } from '../store/ports.ts';

/** The reasons a learner picks from, in the order the form lists them. */
export const REASONS: readonly { value: DisputeReason; label: string }[] = [
  { value: 'wrong-answer', label: 'Wrong answer' },
  { value: 'ambiguous', label: 'Ambiguous' },
  { value: 'source', label: 'Source does not say this' },
  { value: 'typo', label: 'Typo' },
  { value: 'other', label: 'Other' },
];

export function reasonLabel(reason: DisputeReason): string {
  return REASONS.find((r) => r.value === reason)?.label ?? reason;
}

/** Free text of a report, and a host's note, at most this long. */
export const REPORT_TEXT_MAX = 500;
/** Reports one person may file in one server within a day (24 hours). */
export const DAILY_REPORTS = 10;

/** The "Report a problem" button under a quiz answer or a review answer; `/disputes` handles it. */
export function reportAction(questionId: string): ReplyAction {
  return { id: `dispute:${questionId}`, label: 'Report a problem', style: 'secondary' };
}
