/**
 * Every place that stores data about a person, in one list: `/privacy my-data` gathers from each,
 * `/privacy forget-me` and `npm run privacy:forget` delete through each. A repository added later
 * joins with one line here.
 */
import type { PersonalData, Storage, WorkspaceRef } from '../store/ports.ts';

export interface PersonalDataSource extends PersonalData {
  /** The key of its part in the my-data file. */
  name: string;
  /** Said in the reply and in docs/privacy.md when forgetting keeps this part on purpose. */
  kept?: string;
}

export function personalDataSources(storage: Storage): PersonalDataSource[] {
  return [
    // Running games first, so a game that ends meanwhile has less of the person to carry over.
    from('runningGames', storage.games),
    from('results', storage.results),
    from('study', storage.study),
    from('assignments', {
      learnerData: async (ws, userId) => ({ ...(await storage.assignments.learnerData(ws, userId)) }),
      forgetLearner: (ws, userId) => storage.assignments.forgetLearner(ws, userId),
    }),
    // Reports of problems stay for the content's maintainers: forgetting anonymises them.
    from('reports', {
      learnerData: async (ws, userId) => ({ ...(await storage.disputes.learnerData(ws, userId)) }),
      forgetLearner: async (ws, userId) => (await storage.disputes.forgetLearner(ws, userId)) > 0,
    }),
    hostList(storage),
    setUpByYou(storage),
  ];
}

function from(name: string, repo: PersonalData): PersonalDataSource {
  return {
    name,
    learnerData: (ws, userId) => repo.learnerData(ws, userId),
    forgetLearner: (ws, userId) => repo.forgetLearner(ws, userId),
  };
}

/** The host list is the admins' choice: listed, and kept until an admin runs `/settings host-remove`. */
function hostList(storage: Storage): PersonalDataSource {
  return {
    name: 'hostList',
    kept: 'your place on the host list, which admins change with `/settings host-remove`',
    async learnerData(ws, userId) {
      const settings = await storage.settings.get(ws);
      if (!settings?.hostUserIds.includes(userId)) return {};
      return { onHostList: true, name: settings.hostNames?.[userId] ?? null };
    },
    forgetLearner: async () => false,
  };
}

/**
 * Daily posts and quiz nights belong to their channel: who set one up is listed, and the post keeps
 * running until a host removes it.
 */
function setUpByYou(storage: Storage): PersonalDataSource {
  const mine = <T extends { channel: WorkspaceRef; createdBy: { id: string } }>(
    items: readonly T[],
    ws: WorkspaceRef,
    userId: string,
  ) =>
    items.filter(
      (i) =>
        i.channel.platform === ws.platform &&
        i.channel.workspaceId === ws.workspaceId &&
        i.createdBy.id === userId,
    );
  return {
    name: 'setUpByYou',
    kept: 'daily posts and quiz nights you set up, which stay with their channel until a host removes them',
    async learnerData(ws, userId) {
      const [subs, nights] = await Promise.all([
        storage.daily.subscriptions('9999-12-31'),
        storage.nights.all(),
      ]);
      const dailyPosts = mine(
        subs.map((s) => s.subscription),
        ws,
        userId,
      );
      const quizNights = mine(nights, ws, userId).map(({ runs: _runs, ...night }) => night);
      return {
        ...(dailyPosts.length > 0 ? { dailyPosts } : {}),
        ...(quizNights.length > 0 ? { quizNights } : {}),
      };
    },
    forgetLearner: async () => false,
  };
}
