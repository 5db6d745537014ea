/**
 * Slash command names Slack keeps for itself: an app manifest that declares one is rejected, and
 * users typing it get Slack's command, not ours.
 *
 * Source: Slack's help-center article "Use built-in slash commands"
 * (https://slack.com/help/articles/201259356-Use-built-in-slash-commands), taken from copies of
 * that list: the current one (me, status, away, dnd, shrug, remind, msg, feed, who, collapse,
 * expand, leave, join, open, search, topic, mute, pro, shortcuts) and its earlier version, which
 * also named dm, archive, invite, kick, remove, close, part, rename, apps, feedback, prefs, star,
 * active, keys, s and invite_people. Built-ins that Slack has since dropped are kept: a workspace
 * may still have them and a name that is free everywhere is the safe choice.
 */
export const RESERVED_SLACK_COMMANDS: readonly string[] = [
  'active',
  'apps',
  'archive',
  'away',
  'close',
  'collapse',
  'dm',
  'dnd',
  'expand',
  'feed',
  'feedback',
  'invite',
  'invite_people',
  'join',
  'keys',
  'kick',
  'leave',
  'me',
  'msg',
  'mute',
  'open',
  'part',
  'prefs',
  'pro',
  'remind',
  'remove',
  'rename',
  's',
  'search',
  'shortcuts',
  'shrug',
  'star',
  'status',
  'topic',
  'who',
];

/** Slack command names: lowercase letters, digits, `-` and `_`, at most 32 characters. */
export const SLACK_COMMAND_NAME = /^[a-z0-9_-]{1,32}$/;

/** Problems with a list of command names for Slack (reserved, malformed, duplicated, too many). */
export function slackCommandProblems(names: readonly string[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const name of names) {
    if (RESERVED_SLACK_COMMANDS.includes(name)) problems.push(`/${name} is a built-in Slack command`);
    if (!SLACK_COMMAND_NAME.test(name)) problems.push(`/${name} is not a valid Slack command name`);
    if (seen.has(name)) problems.push(`/${name} is declared twice`);
    seen.add(name);
  }
  if (names.length > 50) problems.push(`Slack allows 50 slash commands per app; there are ${names.length}`);
  return problems;
}
