import type { Command } from '../../src/core/command.ts';
import { UserError } from '../../src/core/command.ts';
import { reply } from '../../src/core/reply.ts';
import { filesCommand } from '../helpers/files.ts';

/** A gate a test opens to finish a slow command, so deferral is tested without sleeping. */
export class Gate {
  private release: () => void = () => {};
  private entered: () => void = () => {};
  readonly opened = new Promise<void>((resolve) => {
    this.release = resolve;
  });
  /** Resolves once the command is waiting at the gate. */
  readonly reached = new Promise<void>((resolve) => {
    this.entered = resolve;
  });
  open(): void {
    this.release();
  }
  async pass(): Promise<void> {
    this.entered();
    await this.opened;
  }
}

export const gates = { current: new Gate() };
const counts = new Map<string, number>();

/** Commands that exercise what the real list may not yet: subcommands, users, roles, slow and failing handlers. */
export const testCommands: Command[] = [
  filesCommand(() => gates.current.pass()),
  {
    name: 'echo',
    description: 'Repeats text publicly',
    options: [{ name: 'text', description: 'what to say', type: 'string', required: true, maxLength: 2000 }],
    run: (ctx) => reply({ title: 'Echo', text: ctx.options.string('text') ?? '' }),
  },
  {
    name: 'long',
    description: 'A reply longer than one Discord message',
    options: [{ name: 'paragraphs', description: 'how many', type: 'integer', min: 1, max: 200 }],
    run: (ctx) => {
      const n = ctx.options.integer('paragraphs') ?? 60;
      const text = Array.from(
        { length: n },
        (_, i) =>
          `Paragraph ${i + 1}: the Thaw loosened censorship, and [source ${i + 1}](https://example.org/p/${i + 1}) tells how. ${'word '.repeat(40).trim()}.`,
      ).join('\n\n');
      return reply({
        title: 'A long read',
        text,
        fields: Array.from({ length: 30 }, (_, i) => ({ label: `Field ${i + 1}`, value: 'x'.repeat(300) })),
        sources: [
          { label: 'Taubman, Khrushchev', url: 'https://example.org/taubman' },
          { label: 'An archive without a link' },
        ],
        actions: Array.from({ length: 7 }, (_, i) => ({ id: `count:b${i}`, label: `Button ${i + 1}` })),
      });
    },
  },
  {
    name: 'slow',
    description: 'Answers after the test opens the gate',
    options: [{ name: 'private', description: 'answer privately', type: 'boolean' }],
    run: async (ctx) => {
      await gates.current.pass();
      return reply({
        title: 'Finally',
        text: 'Done after a while.',
        ephemeral: ctx.options.boolean('private') ?? false,
      });
    },
  },
  {
    name: 'boom',
    description: 'Fails unexpectedly',
    run: () => {
      throw new Error('kaboom');
    },
  },
  {
    name: 'drill',
    description: 'Drill controls',
    subcommands: [
      {
        name: 'start',
        description: 'Start a quiz',
        access: 'host',
        options: [
          {
            name: 'topic',
            description: 'topic',
            type: 'string',
            suggest: (prefix, ctx) =>
              ctx.content.topics
                .filter((t) => t.id.startsWith(prefix.toLowerCase()))
                .map((t) => ({ value: t.id, label: t.title })),
          },
          { name: 'questions', description: 'how many', type: 'integer', min: 3, max: 30 },
        ],
        run: (ctx) =>
          reply({
            title: 'Quiz starting',
            text: `Topic: ${ctx.options.string('topic') ?? 'any'}, ${ctx.options.integer('questions') ?? 5} questions, by ${ctx.user.displayName}.`,
            countdown: { endsAt: Date.UTC(2026, 1, 25, 9, 0, 30), label: 'First question' },
            actions: [
              { id: 'count:join', label: 'Join', style: 'primary' },
              { id: 'hostonly:stop', label: 'Stop', style: 'danger' },
            ],
          }),
      },
      { name: 'stop', description: 'Stop the quiz', access: 'host', run: () => reply({ text: 'Stopped.' }) },
    ],
    actions: {
      count: (ctx) => {
        const key = ctx.event.message?.messageId ?? 'none';
        const n = (counts.get(key) ?? 0) + 1;
        counts.set(key, n);
        return {
          mode: 'replace',
          reply: reply({
            title: 'Quiz starting',
            text: `${n} joined; last: ${ctx.user.displayName}.`,
            actions: [{ id: 'count:join', label: 'Join', style: 'primary' }],
          }),
        };
      },
      hostonly: (ctx) => {
        if (!ctx.isHost) throw new UserError('Only hosts can stop the quiz.');
        return { mode: 'new', reply: reply({ text: `Stopped by ${ctx.user.displayName}.` }) };
      },
      private: () => ({ mode: 'replace', reply: reply({ text: 'Only for you.', ephemeral: true }) }),
      slowbutton: async (ctx) => {
        await gates.current.pass();
        return ctx.payload === 'replace'
          ? {
              mode: 'replace',
              reply: reply({ title: 'Updated late', actions: [{ id: 'count:join', label: 'Join' }] }),
            }
          : { mode: 'new', reply: reply({ text: 'Your late answer.', ephemeral: true }) };
      },
    },
  },
  {
    name: 'manage',
    description: 'Server management',
    access: 'admin',
    subcommands: [
      {
        name: 'host-add',
        description: 'Make someone a host',
        options: [{ name: 'user', description: 'who', type: 'user', required: true }],
        run: async (ctx) => {
          const who = ctx.options.mention('user');
          if (!who) throw new UserError('Name a user.');
          await ctx.storage.settings.change(ctx.channel, (s) => {
            if (!s.hostUserIds.includes(who.id)) s.hostUserIds.push(who.id);
          });
          return reply({ text: `${who.label} is now a host.`, ephemeral: true });
        },
      },
      {
        name: 'host-role',
        description: 'Set the host role',
        options: [{ name: 'role', description: 'role', type: 'role', required: true }],
        run: async (ctx) => {
          const role = ctx.options.mention('role');
          if (!role) throw new UserError('Name a role.');
          await ctx.storage.settings.change(ctx.channel, (s) => {
            s.hostRoleId = role.id;
            s.hostRoleName = role.label;
          });
          return reply({ text: `Members with ${role.label} are now hosts.`, ephemeral: true });
        },
      },
    ],
  },
  {
    name: 'whoami',
    description: 'Shows how the bot sees you',
    run: (ctx) =>
      reply({
        text: `${ctx.user.displayName} admin=${ctx.isAdmin} host=${ctx.isHost} server=${ctx.inServer} in ${ctx.channel.workspaceId}/${ctx.channel.channelId}`,
        ephemeral: true,
      }),
  },
];
