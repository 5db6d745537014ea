import type { Command } from '../../src/core/command.ts';
import { type Reply, type ReplyFile, reply } from '../../src/core/reply.ts';

/** A valid 1x1 PNG (signature, IHDR, IDAT, IEND). */
export const PNG = new Uint8Array(
  Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
    'base64',
  ),
);

/** A CSV as exports write it: UTF-8 with a byte-order mark, a name outside ASCII. */
export const CSV = new TextEncoder().encode('\uFEFFlearner,topic,right\r\nMaría,hungary-1956,3\r\n');

export const CHART_ALT = 'Bar chart: mastery by topic; Secret Speech 80%, Hungary 1956 40%.';

export function chartFile(): ReplyFile {
  return { name: 'progress.png', data: PNG, contentType: 'image/png', alt: CHART_ALT };
}

export function csvFile(): ReplyFile {
  return { name: 'export.csv', data: CSV, contentType: 'text/csv; charset=utf-8' };
}

/** A file just over Discord's 8 MiB limit (and under Slack's). */
export function bigFile(): ReplyFile {
  return { name: 'huge.csv', data: new Uint8Array(8 * 1024 * 1024 + 1), contentType: 'text/csv' };
}

function filesReply(options: { private?: boolean; big?: boolean }): Reply {
  return reply({
    title: 'Your progress',
    text: 'Mastery by topic, and your export.',
    ephemeral: options.private ?? false,
    files: [chartFile(), csvFile(), ...(options.big ? [bigFile()] : [])],
  });
}

/**
 * A test-only command whose reply carries a PNG chart and a CSV (and, with big, a file over
 * Discord's limit); its button answers with the same files in a new message.
 */
export function filesCommand(gate?: () => Promise<void>): Command {
  return {
    name: 'attach',
    description: 'Answers with a chart and a CSV file',
    options: [
      { name: 'private', description: 'answer privately', type: 'boolean' },
      { name: 'big', description: 'add a file over the Discord limit', type: 'boolean' },
      { name: 'slow', description: 'wait at the test gate (deferred answer)', type: 'boolean' },
    ],
    run: async (ctx) => {
      if (ctx.options.boolean('slow') && gate) await gate();
      return {
        ...filesReply({
          private: ctx.options.boolean('private') ?? false,
          big: ctx.options.boolean('big') ?? false,
        }),
        actions: [{ id: 'attachbtn:again', label: 'Again, privately' }],
      };
    },
    actions: {
      attachbtn: () => ({ mode: 'new', reply: filesReply({ private: true }) }),
    },
  };
}
