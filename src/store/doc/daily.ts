import { type ChannelRef, channelKey } from '../../core/platform.ts';
import type { DailyRepo, Paused, SubscriptionState } from '../ports.ts';
import type { Delivery, DeliveryStatus, Subscription } from '../schema.ts';
import type { Doc } from './doc.ts';
import type { FeatureDocs } from './shapes.ts';

export class DocDaily implements DailyRepo {
  constructor(private readonly doc: Doc<FeatureDocs['daily']>) {}

  async subscription(channel: ChannelRef): Promise<Subscription | undefined> {
    const found = this.doc.read().subscriptions[channelKey(channel)];
    return found && structuredClone(found);
  }

  subscribe(sub: Subscription): Promise<boolean> {
    const key = channelKey(sub.channel);
    const copy = structuredClone(sub);
    return this.doc.update((data) => {
      const had = Boolean(data.subscriptions[key]);
      data.subscriptions[key] = copy;
      return had;
    });
  }

  unsubscribe(channel: ChannelRef): Promise<boolean> {
    const key = channelKey(channel);
    return this.doc.update((data) => {
      if (!data.subscriptions[key]) return false;
      delete data.subscriptions[key];
      return true;
    });
  }

  setPaused(channel: ChannelRef, paused: Paused | undefined): Promise<boolean> {
    const key = channelKey(channel);
    return this.doc.update((data) => {
      const live = data.subscriptions[key];
      if (!live) return false;
      if (paused) live.paused = { ...paused };
      else delete live.paused;
      return true;
    });
  }

  async subscriptions(since: string): Promise<SubscriptionState[]> {
    const data = this.doc.read();
    return Object.entries(data.subscriptions).map(([key, sub]) => {
      const deliveries: Record<string, Delivery> = {};
      for (const [date, delivery] of Object.entries(data.deliveries[key] ?? {}))
        if (date >= since) deliveries[date] = { ...delivery };
      return { subscription: structuredClone(sub), deliveries };
    });
  }

  async delivery(channel: ChannelRef, date: string): Promise<Delivery | undefined> {
    const found = this.doc.read().deliveries[channelKey(channel)]?.[date];
    return found && { ...found };
  }

  async deliveries(channel: ChannelRef, limit: number): Promise<{ date: string; delivery: Delivery }[]> {
    const byDate = this.doc.read().deliveries[channelKey(channel)] ?? {};
    return Object.keys(byDate)
      .sort()
      .reverse()
      .slice(0, limit)
      .map((date) => ({ date, delivery: { ...(byDate[date] as Delivery) } }));
  }

  claimDelivery(channel: ChannelRef, date: string, at: Date): Promise<boolean> {
    const key = channelKey(channel);
    return this.doc.update((data) => {
      data.deliveries[key] ??= {};
      const byDate = data.deliveries[key];
      if (byDate[date]) return false;
      byDate[date] = { status: 'pending', at: at.toISOString() };
      return true;
    });
  }

  recordDelivery(
    channel: ChannelRef,
    date: string,
    status: DeliveryStatus,
    at: Date,
    extra: { messageId?: string; note?: string } = {},
  ): Promise<void> {
    const key = channelKey(channel);
    return this.doc.update((data) => {
      data.deliveries[key] ??= {};
      const byDate = data.deliveries[key];
      const defined = Object.fromEntries(Object.entries(extra).filter(([, v]) => v !== undefined));
      byDate[date] = { ...byDate[date], ...defined, status, at: at.toISOString() };
    });
  }

  async pending(): Promise<{ channel: ChannelRef; date: string; subscription?: Subscription }[]> {
    const data = this.doc.read();
    const out: { channel: ChannelRef; date: string; subscription?: Subscription }[] = [];
    for (const [key, byDate] of Object.entries(data.deliveries)) {
      for (const [date, delivery] of Object.entries(byDate)) {
        if (delivery.status !== 'pending') continue;
        const sub = data.subscriptions[key];
        out.push({
          channel: sub ? { ...sub.channel } : channelOf(key),
          date,
          ...(sub ? { subscription: structuredClone(sub) } : {}),
        });
      }
    }
    return out;
  }
}

/** A channel from its key `platform:workspace:channel` (ids hold no colon on any platform). */
function channelOf(key: string): ChannelRef {
  const [platform, workspaceId = '', channelId = ''] = key.split(':');
  return { platform: platform as ChannelRef['platform'], workspaceId, channelId };
}
