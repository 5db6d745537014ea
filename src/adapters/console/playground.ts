import { userInfo } from 'node:os';
import { clearLine, createInterface, cursorTo } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { AdapterContext, RunningAdapter } from '../../core/adapter.ts';
import type { Actor } from '../../core/command.ts';
import { prepareFiles } from '../../core/files.ts';
import { sanitizeInput, splitCommandLine } from '../../core/parse.ts';
import type { ChannelRef, DmTarget, MessageRef, Poster } from '../../core/platform.ts';
import type { Reply } from '../../core/reply.ts';
import { DEFAULT_FILES_DIR, saveFiles } from './files.ts';
import { answerStep, type FormStep, promptFor } from './form-prompt.ts';
import { ansiStyle, plainStyle, renderReply } from './render.ts';

export interface PlaygroundOptions {
  input: Readable;
  output: Writable;
  /** Colours and a prompt: only for a person at a terminal. */
  interactive: boolean;
  /** The zone for the clock times of countdowns (default: the machine's). */
  timeZone?: string;
  /** Where files that come with replies are saved (default ./thawbot-files). */
  filesDir?: string;
}

const CHANNEL: ChannelRef = { platform: 'console', workspaceId: 'local', channelId: 'terminal' };

const INTRO = [
  'thawbot playground: the Soviet Thaw, 1953-1964.',
  'Type a command such as /thaw, /secret-speech or /help. Press a button by typing its number.',
  '/as NAME acts as another (non-admin) user, /as alone returns to you, /quit leaves.',
].join('\n');

/**
 * The terminal adapter: slash commands typed at a prompt, replies printed as text, buttons pressed
 * by number. With piped input it answers every line and finishes when the input ends.
 */
export class Playground implements Poster {
  private readonly style;
  private nextButton = 1;
  private nextMessage = 1;
  private readonly buttons = new Map<number, { actionId: string; message: MessageRef }>();
  /** Buttons of messages that were replaced or answered since: pressing one says so. */
  private readonly retired = new Set<number>();
  /** True while a typed line is being answered: the prompt follows anyway. */
  private busy = false;
  private readonly clock: Intl.DateTimeFormat;
  private actingAs: string | undefined;
  /** A form waiting for its answers: the next lines fill it (form-prompt.ts). */
  private form: FormStep | undefined;
  private queue: Promise<void> = Promise.resolve();
  private closedResolve!: () => void;
  /** Resolves when the input has ended (or /quit) and every line has been answered. */
  readonly closed = new Promise<void>((resolve) => {
    this.closedResolve = resolve;
  });

  constructor(
    private readonly ctx: AdapterContext,
    private readonly options: PlaygroundOptions,
  ) {
    this.style = options.interactive ? ansiStyle : plainStyle;
    this.clock = new Intl.DateTimeFormat('en-GB', {
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZone: options.timeZone,
    });
  }

  start(): RunningAdapter {
    // Every adapter registers its Poster before it takes input (see the Discord and Slack adapters).
    this.ctx.deps.posters.register('console', this);
    const rl = createInterface({
      input: this.options.input,
      output: this.options.interactive ? this.options.output : undefined,
      terminal: this.options.interactive,
    });
    if (this.options.interactive) {
      this.write(INTRO);
      rl.setPrompt('thawbot> ');
      rl.prompt();
    }
    rl.on('line', (line) => {
      this.queue = this.queue
        .then(() => {
          this.busy = true;
          return this.handleLine(line);
        })
        .catch((error: unknown) => this.ctx.log.error({ err: error }, 'playground line failed'))
        .then(() => {
          this.busy = false;
          if (this.options.interactive && !this.quitting) rl.prompt();
        });
    });
    rl.on('close', () => {
      this.inputEnded = true;
      void this.queue.then(() => this.closedResolve());
    });
    this.rl = rl;
    return {
      platform: 'console',
      poster: this,
      mode: this.options.interactive ? 'interactive' : 'piped',
      ready: () => !this.inputEnded,
      stop: async () => rl.close(),
    };
  }

  private rl: ReturnType<typeof createInterface> | undefined;
  private quitting = false;
  private inputEnded = false;

  /** Answers one typed line. Public so tests can drive the playground without a child process. */
  async handleLine(raw: string): Promise<void> {
    const line = raw.trim();
    if (this.form) return this.fillForm(this.form, line);
    if (!line) return;
    if (/^\d+$/.test(line)) return this.press(Number(line));
    const parsed = splitCommandLine(line);
    if (!parsed) {
      this.write('Commands start with a slash, for example /thaw. Type /help to see them all.');
      return;
    }
    if (parsed.command === 'quit' || parsed.command === 'exit') {
      this.quitting = true;
      this.rl?.close();
      return;
    }
    if (parsed.command === 'as') {
      // The name is echoed and shown in games: no control or direction characters (a screen clear).
      const name = sanitizeInput(parsed.rest).replace(/\s+/g, ' ').replace(/^@/, '').trim().slice(0, 32);
      this.actingAs = name || undefined;
      this.write(
        name ? `Now acting as ${name} (not an admin). Type /as to return to yourself.` : 'Back to yourself.',
      );
      return;
    }
    const reply = await this.ctx.router.handle({
      ...this.actor(),
      command: parsed.command,
      input: { kind: 'text', text: parsed.rest },
    });
    await this.show(reply);
  }

  private async press(n: number): Promise<void> {
    const button = this.buttons.get(n);
    if (this.retired.has(n)) {
      this.write(`Button ${n} is gone: its message was answered or has changed since.`);
      return;
    }
    if (!button) {
      this.write(`There is no button ${n}. Buttons are the numbers in [brackets] under a reply.`);
      return;
    }
    const result = await this.ctx.router.handleAction({
      ...this.actor(),
      actionId: button.actionId,
      message: button.message,
    });
    if (result.form) {
      this.form = { form: result.form };
      this.write(promptFor(this.form));
      return;
    }
    if (result.mode === 'replace') {
      await this.edit(button.message, result.reply);
    } else await this.show(result.reply);
  }

  private async fillForm(step: FormStep, line: string): Promise<void> {
    if (line === '/cancel') {
      this.form = undefined;
      this.write('Form closed; nothing was sent.');
      return;
    }
    const answer = answerStep(step, line);
    if (answer.kind === 'again') return this.write(answer.message);
    if (answer.kind === 'next') {
      this.form = answer.step;
      return this.write(promptFor(answer.step));
    }
    const result = await this.ctx.router.handleForm({
      ...this.actor(),
      formId: step.form.id,
      ...(answer.choice !== undefined ? { choice: answer.choice } : {}),
      text: answer.text,
    });
    if (result.kind === 'invalid' && result.errors.text) {
      // Only the text can be wrong once the choice was taken by number: ask for it again.
      this.write(`${result.errors.text}\n${promptFor(step)}`);
      return;
    }
    this.form = undefined;
    await this.show(result.reply);
  }

  private actor(): Actor {
    const local = !this.actingAs;
    const id = local ? 'local' : `as:${this.actingAs?.toLowerCase()}`;
    const displayName = local ? userInfo().username || 'you' : (this.actingAs as string);
    return {
      user: { platform: 'console', id, displayName },
      channel: CHANNEL,
      isAdmin: local,
      isHost: local,
      inServer: true,
    };
  }

  private async show(reply: Reply, prefix?: string, channel: ChannelRef = CHANNEL): Promise<MessageRef> {
    const message: MessageRef = { channel, messageId: String(this.nextMessage++) };
    await this.print(reply, message, prefix);
    return message;
  }

  /**
   * Prints a reply; its files are saved first and their paths printed under it. A reply without
   * files is printed at once (no await), so output keeps the order of the calls.
   */
  private print(original: Reply, message: MessageRef, prefix?: string): void | Promise<void> {
    const { reply, files } = prepareFiles(original, 'console');
    if (files.length === 0) return this.printNow(reply, message, prefix, []);
    return saveFiles(files, this.options.filesDir ?? DEFAULT_FILES_DIR).then((lines) =>
      this.printNow(reply, message, prefix, lines),
    );
  }

  private printNow(reply: Reply, message: MessageRef, prefix: string | undefined, fileLines: string[]): void {
    // A message shown again keeps the numbers of the buttons it still has; the others are retired.
    const kept = new Map<string, number>();
    for (const [n, b] of this.buttons) {
      if (b.message.messageId !== message.messageId) continue;
      this.buttons.delete(n);
      if (reply.actions?.some((a) => a.id === b.actionId)) kept.set(b.actionId, n);
      else this.retired.add(n);
    }
    const numbers = (reply.actions ?? []).map((action) => {
      const n = kept.get(action.id) ?? this.nextButton++;
      this.buttons.set(n, { actionId: action.id, message });
      return n;
    });
    const countdown = reply.countdown && {
      ...reply.countdown,
      // The clock time it ends, since the printed seconds never change.
      label: `${reply.countdown.label} at ${this.clock.format(reply.countdown.endsAt)},`,
    };
    const text = renderReply({ ...reply, countdown }, numbers, this.style, this.ctx.deps.now().getTime());
    this.write([prefix ? this.style.dim(prefix) : '', text, ...fileLines].filter(Boolean).join('\n'));
  }

  private write(text: string): void {
    const out = this.options.output;
    // Output that arrives while the prompt waits (quiz rounds, daily posts) goes above it, and the
    // prompt with what was typed so far is drawn again below.
    const redraw = this.options.interactive && this.rl !== undefined && !this.busy && !this.inputEnded;
    if (redraw) {
      clearLine(out, 0);
      cursorTo(out, 0);
    }
    out.write(`${text}\n\n`);
    if (redraw) this.rl?.prompt(true);
  }

  async post(_to: ChannelRef, reply: Reply): Promise<MessageRef> {
    return this.show(reply);
  }

  /** A private message is printed like any reply, under "(private message to NAME)". */
  async dm(user: DmTarget, reply: Reply): Promise<MessageRef> {
    const name = user.id === 'local' ? userInfo().username || 'you' : user.id.replace(/^as:/, '');
    return this.show(reply, `(private message to ${name})`, { ...CHANNEL, channelId: `dm:${user.id}` });
  }

  /** An edit is printed as the message's new text under its title, marked as updated. */
  async edit(ref: MessageRef, reply: Reply): Promise<void> {
    const title = reply.title ?? reply.fallbackText.split('\n')[0]?.slice(0, 80) ?? '';
    await this.print({ ...reply, title: `${title} (updated)` }, ref);
  }
}
