import type { FormHandler, FormSpec } from './form.ts';
import type { Logger } from './log.ts';
import type { ChannelRef, MessageRef, UserRef } from './platform.ts';
import type { Reply } from './reply.ts';

/** Who may run a command: everyone, hosts (quiz masters, teachers) or admins. */
export type Access = 'everyone' | 'host' | 'admin';

export interface Suggestion {
  value: string;
  label: string;
}

/** A user or role picked as an option: a Discord user/role, a Slack user or user group. */
export interface MentionValue {
  id: string;
  /** Plain-text name for display; never a mention markup. */
  label: string;
}

export interface TimeOfDay {
  hour: number;
  minute: number;
}

interface OptionBase {
  name: string;
  description: string;
  required?: boolean;
  /** Offers values for autocomplete (Discord) and "did you mean" (everywhere). */
  suggest?: (prefix: string, ctx: SuggestContext) => Suggestion[];
}

export type OptionSpec =
  | (OptionBase & { type: 'string'; maxLength?: number })
  | (OptionBase & { type: 'integer'; min?: number; max?: number })
  | (OptionBase & { type: 'boolean' })
  | (OptionBase & { type: 'choice'; choices: readonly string[] })
  | (OptionBase & { type: 'user' })
  | (OptionBase & { type: 'role' })
  | (OptionBase & { type: 'monthDay' })
  | (OptionBase & { type: 'time' })
  | (OptionBase & { type: 'timezone' });

export type OptionType = OptionSpec['type'];

/** A validated option value: monthDay is "MM-DD", timezone a canonical IANA name. */
export type OptionValue = string | number | boolean | MentionValue | TimeOfDay;

/** What an adapter may pass for an option before validation (typed platforms pass typed values). */
export type RawOptionValue = string | number | boolean | MentionValue;

export type Handler = (ctx: CommandContext) => Promise<Reply> | Reply;

export interface Subcommand {
  name: string;
  description: string;
  access?: Access;
  /** Overrides the command's `serverOnly`. */
  serverOnly?: string;
  options?: OptionSpec[];
  run: Handler;
}

export interface Command {
  name: string;
  description: string;
  /** Applies to the command and, unless they set their own, to its subcommands. */
  access?: Access;
  /**
   * Set when it works only in a server (or workspace), not in a direct message: what to say there,
   * privately. Applies to the subcommands unless they set their own.
   */
  serverOnly?: string;
  options?: OptionSpec[];
  /** One level of subcommands, no groups. A command has either `run` or `subcommands`. */
  subcommands?: Subcommand[];
  /**
   * On text platforms (Slack, the terminal), the subcommand a line runs when its first word names
   * none: `/review hungary-1956` is `/review start hungary-1956`. Discord always names one.
   */
  defaultSubcommand?: string;
  run?: Handler;
  /** Longer text for `/help <command>`. */
  help?: string;
  /** Button handlers by action namespace (the part of an action id before the first colon). */
  actions?: Record<string, ActionHandler>;
  /** Form handlers by form namespace (the part of a form id before the first colon); see form.ts. */
  forms?: Record<string, FormHandler>;
}

/**
 * The shared services every command and action sees. The core declares only what it uses itself;
 * the app adds its services (content, storage, quiz, schedules...) to this interface in
 * src/services.ts, so the core imports nothing from the floors above it.
 */
export interface Deps {
  log: Logger;
  now(): Date;
  random(): number;
  commands: readonly Command[];
  /** Whether the actor hosts here: an admin, on the host list or holding the host role. */
  hostCheck(actor: Actor): Promise<boolean>;
}

export interface Actor {
  user: UserRef;
  channel: ChannelRef;
  isAdmin: boolean;
  /** Adapters pass what the platform says alone (false, or true for admins); the router adds the settings. */
  isHost: boolean;
  /** The member's role ids (Discord), for the server's host role. */
  roleIds?: readonly string[];
  /** False in a direct message, where channel features cannot work. */
  inServer?: boolean;
}

export interface Invocation extends Actor {
  command: string;
  subcommand?: string;
  input: { kind: 'text'; text: string } | { kind: 'values'; values: Record<string, RawOptionValue> };
}

/** Typed access to validated options. */
export interface Options {
  string(name: string): string | undefined;
  integer(name: string): number | undefined;
  boolean(name: string): boolean | undefined;
  mention(name: string): MentionValue | undefined;
  time(name: string): TimeOfDay | undefined;
  has(name: string): boolean;
}

export interface CommandContext extends Deps, Actor {
  invocation: Invocation;
  options: Options;
}

export interface SuggestContext extends Deps {
  channel?: ChannelRef;
}

export interface ActionEvent extends Actor {
  /** `namespace:payload`. */
  actionId: string;
  /** The message carrying the button, when the platform tells us. */
  message?: MessageRef;
}

export interface ActionContext extends Deps, Actor {
  event: ActionEvent;
  payload: string;
}

/** `replace` edits the message the button sits on (paging, live counts); `new` sends a new one. */
export interface ActionResult {
  reply: Reply;
  mode: 'replace' | 'new';
  /**
   * Opens this form instead of answering (build it with `formSpec`); `reply` is shown, as a new
   * message, only where the form cannot be opened (the answer came too late for Discord).
   */
  form?: FormSpec;
}

export type ActionHandler = (ctx: ActionContext) => Promise<ActionResult> | ActionResult;

/** Thrown by commands for expected, user-facing failures: the message is shown privately as is. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly usage?: string,
  ) {
    super(message);
    this.name = 'UserError';
  }
}
