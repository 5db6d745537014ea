import { type ChannelRef, channelKey } from '../../core/platform.ts';
import type { NightsRepo, Paused } from '../ports.ts';
import type { QuizNight, QuizNightRun } from '../schema.ts';
import type { Doc } from './doc.ts';
import type { FeatureDocs } from './shapes.ts';

export function nightKey(channel: ChannelRef, id: string): string {
  return `${channelKey(channel)}:${id}`;
}

export class DocNights implements NightsRepo {
  constructor(private readonly doc: Doc<FeatureDocs['nights']>) {}

  async all(): Promise<QuizNight[]> {
    return Object.values(this.doc.read().nights).map((n) => structuredClone(n));
  }

  async inChannel(channel: ChannelRef): Promise<QuizNight[]> {
    const prefix = `${channelKey(channel)}:`;
    return Object.entries(this.doc.read().nights)
      .filter(([key]) => key.startsWith(prefix))
      .map(([, n]) => structuredClone(n));
  }

  add(night: QuizNight): Promise<void> {
    const copy = structuredClone(night);
    return this.doc.update((data) => {
      data.nights[nightKey(night.channel, night.id)] = copy;
    });
  }

  remove(channel: ChannelRef, id: string): Promise<boolean> {
    const key = nightKey(channel, id);
    return this.doc.update((data) => {
      if (!data.nights[key]) return false;
      delete data.nights[key];
      return true;
    });
  }

  markRun(
    channel: ChannelRef,
    id: string,
    date: string,
    step: keyof QuizNightRun,
    value: string,
    force = false,
  ): Promise<boolean> {
    const key = nightKey(channel, id);
    return this.doc.update((data) => {
      const night = data.nights[key];
      if (!night) return false;
      const run = night.runs[date] ?? {};
      if (run[step] && !force) return false;
      night.runs[date] = { ...run, [step]: value };
      return true;
    });
  }

  setPaused(channel: ChannelRef, id: string, paused: Paused | undefined): Promise<void> {
    const key = nightKey(channel, id);
    return this.doc.update((data) => {
      const night = data.nights[key];
      if (!night) return;
      if (paused) night.paused = { ...paused };
      else delete night.paused;
    });
  }
}
