import {
  type Access,
  type ActionEvent,
  type ActionHandler,
  type ActionResult,
  type Actor,
  type Command,
  type CommandContext,
  type Deps,
  type Invocation,
  type MentionValue,
  type Options,
  type OptionValue,
  type Subcommand,
  type Suggestion,
  type TimeOfDay,
  UserError,
} from './command.ts';
import { type FormResult, type FormSubmission, formHandler } from './form.ts';
import { bindTokens, coerceOptions, usage } from './options.ts';
import { sanitizeInput, tokenize } from './parse.ts';
import { errorReply, type Reply } from './reply.ts';
import { closestMatches } from './suggest.ts';

/** The private answers when a command or a button fails on the bot's side (adapters reuse them). */
export const COMMAND_FAILED =
  'Sorry, something went wrong on my side while answering that. Please try again in a moment.';
export const ACTION_FAILED = 'Sorry, something went wrong on my side with that button. Please try again.';
export const STORAGE_UNAVAILABLE =
  'Storage is unavailable right now, so nothing was changed. Please try again in a minute.';
export const WRITE_FAILED = 'Sorry, I could not save that, so it did not take effect. Please try again.';

/**
 * Storage marks its temporary failures by code: 'unavailable' (the database is gone) and
 * 'write-failed' (a change could not be saved and was undone). Say so, politely.
 */
function failureText(error: unknown, fallback: string): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'unavailable') return STORAGE_UNAVAILABLE;
  if (code === 'write-failed') return WRITE_FAILED;
  return fallback;
}

const ACCESS_RANK: Record<Access, number> = { everyone: 0, host: 1, admin: 2 };

export const ACCESS_DENIED: Record<Exclude<Access, 'everyone'>, string> = {
  host: 'Only hosts can do that. Ask an admin to make you a host with `/settings host-add` or the host role.',
  admin: 'Only server admins can do that (Manage Server on Discord, workspace admins on Slack).',
};

/**
 * Finds the command, validates and coerces its options, checks access, runs it, and turns any
 * failure into a polite private reply while logging the cause. Never throws.
 */
export class Router {
  private readonly byName: Map<string, Command>;
  private readonly actions = new Map<string, ActionHandler>();

  constructor(private readonly deps: Deps) {
    this.byName = new Map(deps.commands.map((c) => [c.name, c]));
    for (const command of deps.commands) {
      for (const [namespace, handler] of Object.entries(command.actions ?? {})) {
        if (this.actions.has(namespace)) throw new Error(`action namespace "${namespace}" is declared twice`);
        this.actions.set(namespace, handler);
      }
    }
  }

  get commands(): readonly Command[] {
    return this.deps.commands;
  }

  command(name: string): Command | undefined {
    return this.byName.get(name.toLowerCase());
  }

  async handle(raw: Invocation): Promise<Reply> {
    const started = Date.now();
    // Names echo back in error messages: keep control and direction characters out of them.
    const invocation: Invocation = {
      ...raw,
      command: sanitizeInput(raw.command).trim(),
      subcommand: raw.subcommand && sanitizeInput(raw.subcommand),
      input:
        raw.input.kind === 'text'
          ? { kind: 'text', text: sanitizeInput(raw.input.text) }
          : {
              kind: 'values',
              values: Object.fromEntries(
                Object.entries(raw.input.values).map(([k, v]) => [
                  k,
                  typeof v === 'string' ? sanitizeInput(v) : v,
                ]),
              ),
            },
    };
    const log = this.deps.log.child({ command: invocation.command, user: invocation.user.id });
    try {
      const result = await this.dispatch(invocation);
      log.debug({ ms: Date.now() - started }, 'command handled');
      return result;
    } catch (error) {
      if (error instanceof UserError) return errorReply(error.message, error.usage);
      log.error({ err: error }, 'command failed');
      return errorReply(failureText(error, COMMAND_FAILED));
    }
  }

  private async dispatch(invocation: Invocation): Promise<Reply> {
    const command = this.command(invocation.command);
    if (!command) {
      const near = closestMatches(invocation.command, this.deps.commands, (c) => [c.name], 3);
      // One pointer, not two: the suggestion if there is one, else /help.
      const hint = near.length
        ? ` Did you mean ${near.map((c) => `\`/${c.name}\``).join(', ')}?`
        : ' Try `/help` to see every command.';
      return errorReply(`I don't know the command \`/${invocation.command.slice(0, 40)}\`.${hint}`);
    }

    let subName = invocation.subcommand;
    let input = invocation.input;
    if (command.subcommands?.length && !subName && input.kind === 'text') {
      const [first, ...rest] = input.text.trim().split(/\s+/);
      const named = command.subcommands.some((s) => s.name === first?.toLowerCase());
      if (command.defaultSubcommand && !named) subName = command.defaultSubcommand;
      else {
        subName = first || undefined;
        input = { kind: 'text', text: rest.join(' ') };
        // "remind off" typed as two words means the subcommand `remind-off`.
        const [second, ...after] = rest;
        const joined = `${first}-${second}`.toLowerCase();
        if (second && command.subcommands.some((s) => s.name === joined)) {
          subName = joined;
          input = { kind: 'text', text: after.join(' ') };
        }
      }
    }
    let sub: Subcommand | undefined;
    if (command.subcommands?.length) {
      if (!subName) return errorReply(`\`/${command.name}\` needs a subcommand.`, usage(command));
      sub = command.subcommands.find((s) => s.name === subName?.toLowerCase());
      if (!sub) {
        const near = closestMatches(subName, command.subcommands, (s) => [s.name], 3);
        const hint = near.length ? ` Did you mean ${near.map((s) => `\`${s.name}\``).join(', ')}?` : '';
        return errorReply(
          `\`/${command.name}\` has no subcommand \`${subName.slice(0, 40)}\`.${hint}`,
          usage(command),
        );
      }
    }
    const handler = sub?.run ?? command.run;
    if (!handler) return errorReply(`\`/${command.name}\` cannot be run on its own.`, usage(command));

    const actor = await this.actorOf(invocation);
    const access = sub?.access ?? command.access ?? 'everyone';
    if (!allowed(access, actor)) return errorReply(ACCESS_DENIED[access as 'host' | 'admin']);

    const specs = (sub ? sub.options : command.options) ?? [];
    const helpUsage = usage(command, sub);
    let raw: Record<string, import('./command.ts').RawOptionValue>;
    if (input.kind === 'text') {
      const tokens = tokenize(input.text);
      if (!tokens.ok) return errorReply(`I couldn't read that: ${tokens.error}.`, helpUsage);
      const bound = bindTokens(specs, tokens.value);
      if (!bound.ok) return errorReply(`I couldn't read that: ${bound.error}.`, helpUsage);
      raw = bound.value;
    } else raw = input.values;
    const coerced = coerceOptions(specs, raw);
    if (!coerced.ok) return errorReply(`${capitalize(coerced.error)}.`, helpUsage);

    const serverOnly = sub?.serverOnly ?? command.serverOnly;
    if (serverOnly && actor.inServer === false) return errorReply(serverOnly);

    const ctx: CommandContext = {
      ...this.deps,
      ...actor,
      invocation: { ...invocation, subcommand: sub?.name },
      options: optionsView(coerced.value),
    };
    return await handler(ctx);
  }

  async handleAction(raw: ActionEvent): Promise<ActionResult> {
    const event = { ...raw, actionId: sanitizeInput(raw.actionId).slice(0, 100) };
    const log = this.deps.log.child({ action: event.actionId.slice(0, 100), user: event.user.id });
    const colon = event.actionId.indexOf(':');
    const namespace = colon < 0 ? event.actionId : event.actionId.slice(0, colon);
    const handler = this.actions.get(namespace);
    if (!handler) {
      return {
        mode: 'new',
        reply: errorReply('That button no longer works. Run the command again for a fresh one.'),
      };
    }
    try {
      return await handler({
        ...this.deps,
        ...(await this.actorOf(event)),
        event,
        payload: colon < 0 ? '' : event.actionId.slice(colon + 1),
      });
    } catch (error) {
      if (error instanceof UserError) return { mode: 'new', reply: errorReply(error.message, error.usage) };
      log.error({ err: error }, 'action failed');
      return { mode: 'new', reply: errorReply(failureText(error, ACTION_FAILED)) };
    }
  }

  /** Whether some command declares the form `formId` (adapters refuse submissions of any other). */
  hasForm(formId: string): boolean {
    return formHandler(this.deps.commands, formId) !== undefined;
  }

  /**
   * A filled form: the choice must be one declared, the text (control characters removed, trimmed)
   * within its bounds; then the command's handler answers, privately. Never throws.
   */
  async handleForm(raw: FormSubmission): Promise<FormResult> {
    const formId = sanitizeInput(raw.formId).slice(0, 100);
    const log = this.deps.log.child({ form: formId, user: raw.user.id });
    const handler = formHandler(this.deps.commands, formId);
    const invalid = (field: 'choice' | 'text', message: string): FormResult => ({
      kind: 'invalid',
      errors: { [field]: message },
      reply: errorReply(message),
    });
    if (!handler)
      return {
        kind: 'done',
        reply: errorReply('That form no longer works. Press the button again for a fresh one.'),
      };
    const text = sanitizeInput(raw.text ?? '')
      .replace(/ {2,}/g, ' ')
      .trim();
    const choice = raw.choice === undefined ? undefined : sanitizeInput(raw.choice).trim();
    if (handler.choice && !handler.choice.options.some((o) => o.value === choice))
      return invalid(
        'choice',
        `Please pick one of: ${handler.choice.options.map((o) => o.label).join(', ')}.`,
      );
    if (text.length > handler.text.maxLength)
      return invalid(
        'text',
        `That text is ${text.length} characters long; please keep it to ${handler.text.maxLength}.`,
      );
    if (handler.text.required && !text) return invalid('text', `Please fill in "${handler.text.label}".`);
    const colon = formId.indexOf(':');
    try {
      const actor = await this.actorOf(raw);
      const reply = await handler.submit({
        ...this.deps,
        ...actor,
        submission: { ...raw, formId },
        payload: colon < 0 ? '' : formId.slice(colon + 1),
        values: { ...(handler.choice ? { choice } : {}), text },
      });
      return { kind: 'done', reply: { ...reply, ephemeral: true } };
    } catch (error) {
      if (error instanceof UserError) return { kind: 'done', reply: errorReply(error.message, error.usage) };
      log.error({ err: error }, 'form failed');
      return { kind: 'done', reply: errorReply(failureText(error, ACTION_FAILED)) };
    }
  }

  /** The actor as commands see it: whether they host is decided here, once. */
  private async actorOf(a: Actor): Promise<Actor> {
    const actor: Actor = {
      user: a.user,
      channel: a.channel,
      isAdmin: a.isAdmin,
      isHost: a.isHost || a.isAdmin,
      inServer: a.inServer,
      ...(a.roleIds ? { roleIds: a.roleIds } : {}),
    };
    return { ...actor, isHost: await this.deps.hostCheck(actor) };
  }

  /** Values for autocomplete: the option's own `suggest`, or its choices. */
  suggest(
    commandName: string,
    subName: string | undefined,
    optionName: string,
    prefix: string,
    actor?: Partial<Actor>,
  ): Suggestion[] {
    try {
      const command = this.command(commandName);
      const sub = command?.subcommands?.find((s) => s.name === subName);
      const spec = ((sub ? sub.options : command?.options) ?? []).find((o) => o.name === optionName);
      if (!spec) return [];
      if (spec.suggest) return spec.suggest(prefix, { ...this.deps, channel: actor?.channel }).slice(0, 25);
      if (spec.type === 'choice')
        return spec.choices
          .filter((c) => c.startsWith(prefix.toLowerCase()))
          .map((c) => ({ value: c, label: c }));
      return [];
    } catch (error) {
      this.deps.log.warn({ err: error, command: commandName, option: optionName }, 'suggest failed');
      return [];
    }
  }
}

export function allowed(access: Access, actor: Pick<Actor, 'isAdmin' | 'isHost'>): boolean {
  const rank = actor.isAdmin ? 2 : actor.isHost ? 1 : 0;
  return rank >= ACCESS_RANK[access];
}

function optionsView(values: Record<string, OptionValue>): Options {
  const get = <T>(name: string, check: (v: OptionValue) => boolean): T | undefined => {
    const v = values[name];
    return v !== undefined && check(v) ? (v as T) : undefined;
  };
  return {
    string: (n) => get<string>(n, (v) => typeof v === 'string'),
    integer: (n) => get<number>(n, (v) => typeof v === 'number'),
    boolean: (n) => get<boolean>(n, (v) => typeof v === 'boolean'),
    mention: (n) => get<MentionValue>(n, (v) => typeof v === 'object' && 'id' in v),
    time: (n) => get<TimeOfDay>(n, (v) => typeof v === 'object' && 'hour' in v),
    has: (n) => values[n] !== undefined,
  };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
