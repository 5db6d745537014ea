import { type ActionContext, type Command, type CommandContext, UserError } from '../src/core/command.ts';
import { FILE_LIMITS, formatBytes } from '../src/core/files.ts';
import { workspaceKey } from '../src/core/platform.ts';
import { reply } from '../src/core/reply.ts';
import { PrivacyService } from '../src/privacy/service.ts';
import { personalDataSources } from '../src/privacy/sources.ts';

const CONFIRM_MINUTES = 15;

/** `/privacy`: a person's own data in this server, to download or to delete. */
export const privacy: Command = {
  name: 'privacy',
  serverOnly: 'Your data is kept per server: run `/privacy` in one of its channels.',
  description: 'Download or delete what thawbot stores about you in this server',
  help: '`/privacy my-data` sends you a JSON file of everything stored about you in this server. `/privacy forget-me` deletes it, after a confirmation. docs/privacy.md says what is kept and for how long.',
  subcommands: [
    {
      name: 'my-data',
      description: 'Get a JSON file of everything stored about you in this server',
      run: async (ctx) => {
        const mine = await service(ctx).myData(ctx.channel, ctx.user.id, ctx.now());
        const data = Buffer.from(`${JSON.stringify(mine, null, 2)}\n`, 'utf8');
        const limit = FILE_LIMITS[ctx.channel.platform];
        if (data.byteLength > limit.maxBytes)
          throw new UserError(
            `Your data here is ${formatBytes(data.byteLength)}, over ${limit.label}, so it cannot be sent as a file. Ask the person who runs thawbot for a copy (docs/privacy.md).`,
          );
        const parts = Object.keys(mine.data);
        return reply({
          title: 'Your data in this server',
          text:
            parts.length > 0
              ? `The file holds everything thawbot stores about you here: ${parts.map(label).join(', ')}. \`/privacy forget-me\` deletes it.`
              : 'thawbot stores nothing about you in this server. The file says so.',
          files: [{ name: 'thawbot-my-data.json', data, contentType: 'application/json' }],
          ephemeral: true,
        });
      },
    },
    {
      name: 'forget-me',
      description: 'Delete everything stored about you in this server (asks to confirm)',
      run: async (ctx) => {
        const issued = ctx.now().getTime().toString(36);
        return reply({
          title: 'Delete your data in this server?',
          text:
            'This deletes your answers, results, leaderboard rows, review cards, answer log, profile, reminders and assignment progress in this server; reports you filed stay, without your name. ' +
            'Leaderboards and exports stop showing you; finished games stay, without you. This cannot be undone. ' +
            `The button works for ${CONFIRM_MINUTES} minutes and only for you; to keep everything, just ignore this message.`,
          actions: [
            {
              id: `forgetme:${ctx.channel.workspaceId}:${ctx.user.id}:${issued}`,
              label: 'Delete my data',
              style: 'danger',
            },
          ],
          ephemeral: true,
        });
      },
    },
  ],
  actions: {
    // forgetme:<workspaceId>:<userId>:<issued, epoch ms in base 36>
    forgetme: async (ctx) => {
      checkConfirmation(ctx);
      const { deleted, kept } = await service(ctx).forget(ctx.channel, ctx.user.id);
      ctx.log.info(
        { workspace: workspaceKey(ctx.channel), user: ctx.user.id, deleted },
        'learner data deleted on request',
      );
      const keptLine = kept.length > 0 ? ` Kept: ${kept.join('; ')}.` : '';
      return {
        mode: 'replace',
        reply: reply({
          title: 'Your data is deleted',
          text:
            (deleted.length > 0
              ? 'Everything thawbot stored about you in this server is deleted: leaderboards and exports no longer show you.'
              : 'thawbot stored nothing about you in this server, so there was nothing to delete.') +
            keptLine,
          ephemeral: true,
        }),
      };
    },
  },
};

function service(ctx: CommandContext | ActionContext): PrivacyService {
  return new PrivacyService(personalDataSources(ctx.storage));
}

/** Only the person who asked, in the same server, with a fresh button, may confirm. */
function checkConfirmation(ctx: ActionContext): void {
  const parts = ctx.payload.split(':');
  const issued = parts.pop() ?? '';
  const [workspaceId, ...user] = parts;
  if (ctx.inServer === false || workspaceId !== ctx.channel.workspaceId)
    throw new UserError('This button belongs to another server, so nothing was deleted.');
  if (user.join(':') !== ctx.user.id)
    throw new UserError(
      'This button belongs to someone else, so nothing was deleted. To delete your own data, run `/privacy forget-me`.',
    );
  const at = Number.parseInt(issued, 36);
  const age = ctx.now().getTime() - at;
  if (!Number.isFinite(at) || age < 0 || age > CONFIRM_MINUTES * 60_000)
    throw new UserError(
      'This confirmation has expired, so nothing was deleted. Run `/privacy forget-me` again for a fresh one.',
    );
}

const LABELS: Record<string, string> = {
  runningGames: 'answers in running quizzes',
  results: 'finished quizzes, leaderboard rows and your record',
  study: 'review cards, answer log, profile and reminders',
  assignments: 'your progress and answers in assignments, and assignments you set',
  reports: 'reports of problems with questions you filed',
  hostList: 'your place on the host list',
  setUpByYou: 'daily posts and quiz nights you set up',
};

function label(name: string): string {
  return LABELS[name] ?? name;
}
