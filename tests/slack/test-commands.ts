import type { Command } from '../../src/core/command.ts';
import { reply } from '../../src/core/reply.ts';
import { filesCommand } from '../helpers/files.ts';

/** Small commands that exercise what the real ones may not yet: echoes, access levels, buttons. */
export const testCommands: Command[] = [
  filesCommand(),
  {
    name: 'echo',
    description: 'Repeats the text back publicly',
    options: [{ name: 'text', description: 'what to repeat', type: 'string', maxLength: 500 }],
    run: (ctx) =>
      reply({
        title: `Echo for ${ctx.user.displayName}`,
        text: `You said: ${ctx.options.string('text') ?? ''}`,
        fallbackText: `${ctx.user.displayName} said: ${ctx.options.string('text') ?? ''}`,
      }),
  },
  {
    name: 'greet',
    description: 'Greets a user by name',
    options: [{ name: 'who', description: 'a user', type: 'user', required: true }],
    run: (ctx) => reply({ text: `Hello, ${ctx.options.mention('who')?.label}!` }),
  },
  {
    name: 'hostonly',
    description: 'Only hosts may run this',
    access: 'host',
    run: (ctx) => reply({ text: `Welcome, host ${ctx.user.displayName}.`, ephemeral: true }),
  },
  {
    name: 'pager',
    description: 'A paged card with buttons',
    run: () =>
      reply({
        title: 'Page 1',
        text: 'First page',
        actions: [
          { id: 'page:2', label: 'Next', style: 'primary' },
          { id: 'note:private', label: 'Tell me privately' },
          { id: 'loud:public', label: 'Tell everyone' },
        ],
      }),
    actions: {
      page: (ctx) => ({
        mode: 'replace',
        reply: reply({ title: `Page ${ctx.payload}`, text: `Page ${ctx.payload} text` }),
      }),
      note: (ctx) => ({
        mode: 'new',
        reply: reply({ text: `Only for ${ctx.user.displayName}`, ephemeral: true }),
      }),
      loud: () => ({ mode: 'new', reply: reply({ text: 'For everyone' }) }),
    },
  },
];
