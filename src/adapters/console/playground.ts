import { userInfo } from 'node:os';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { AdapterContext, RunningAdapter } from '../../core/adapter.ts';
import type { Actor } from '../../core/command.ts';
import { splitCommandLine } from '../../core/parse.ts';
import type { ChannelRef, MessageRef, Poster } from '../../core/platform.ts';
import type { Reply } from '../../core/reply.ts';
import { ansiStyle, plainStyle, renderReply } from './render.ts';

export interface PlaygroundOptions {
  input: Readable;
  output: Writable;
  /** Colours and a prompt: only for a person at a terminal. */
  interactive: boolean;
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
  private actingAs: string | undefined;
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
  }

  start(): RunningAdapter {
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
        .then(() => this.handleLine(line))
        .catch((error: unknown) => this.ctx.log.error({ err: error }, 'playground line failed'))
        .then(() => {
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
      const name = parsed.rest.replace(/^@/, '').trim().slice(0, 32);
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
    this.show(reply);
  }

  private async press(n: number): Promise<void> {
    const button = this.buttons.get(n);
    if (!button) {
      this.write(`There is no button ${n}. Buttons are the numbers in [brackets] under a reply.`);
      return;
    }
    const result = await this.ctx.router.handleAction({
      ...this.actor(),
      actionId: button.actionId,
      message: button.message,
    });
    if (result.mode === 'replace') {
      await this.edit(button.message, result.reply);
    } else this.show(result.reply);
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

  private show(reply: Reply): MessageRef {
    const message: MessageRef = { channel: CHANNEL, messageId: String(this.nextMessage++) };
    this.print(reply, message);
    return message;
  }

  private print(reply: Reply, message: MessageRef): void {
    const numbers = (reply.actions ?? []).map((action) => {
      const n = this.nextButton++;
      this.buttons.set(n, { actionId: action.id, message });
      return n;
    });
    this.write(renderReply(reply, numbers, this.style, this.ctx.deps.now().getTime()));
  }

  private write(text: string): void {
    this.options.output.write(`${text}\n\n`);
  }

  async post(_to: ChannelRef, reply: Reply): Promise<MessageRef> {
    return this.show(reply);
  }

  async edit(ref: MessageRef, reply: Reply): Promise<void> {
    this.write(this.style.dim(`(message ${ref.messageId} updated)`));
    this.print(reply, ref);
  }
}
