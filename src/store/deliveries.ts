import { type ChannelRef, channelKey } from '../core/platform.ts';
import type { Data, Delivery, DeliveryStatus, Store } from './types.ts';

/**
 * Claims one channel's post for one local date ("YYYY-MM-DD"): true, once durable, if no delivery
 * existed and a pending one is now recorded; false if another run already has it. The delivery
 * record is the claim, so daily posts need no separate `claim` key.
 */
export function claimDelivery(
  store: Store,
  channel: ChannelRef,
  localDate: string,
  now: Date,
): Promise<boolean> {
  const key = channelKey(channel);
  return store.update((data) => {
    data.deliveries[key] ??= {};
    const byDate = data.deliveries[key];
    if (byDate[localDate]) return false;
    byDate[localDate] = { status: 'pending', at: now.toISOString() };
    return true;
  });
}

/** Records a delivery's new status (sent, skipped, failed), keeping what is not given. */
export function recordDelivery(
  store: Store,
  channel: ChannelRef,
  localDate: string,
  status: DeliveryStatus,
  now: Date,
  extra: Pick<Delivery, 'messageId' | 'note'> = {},
): Promise<void> {
  const key = channelKey(channel);
  return store.update((data) => {
    data.deliveries[key] ??= {};
    const byDate = data.deliveries[key];
    byDate[localDate] = { ...byDate[localDate], ...extra, status, at: now.toISOString() };
  });
}

/** The delivery for a channel and local date, if any. */
export function deliveryFor(
  data: Readonly<Data>,
  channel: ChannelRef,
  localDate: string,
): Delivery | undefined {
  return data.deliveries[channelKey(channel)]?.[localDate];
}

/** A channel's latest delivery by local date. */
export function lastDelivery(
  data: Readonly<Data>,
  channel: ChannelRef,
): { localDate: string; delivery: Delivery } | undefined {
  const byDate = data.deliveries[channelKey(channel)];
  if (!byDate) return undefined;
  const latest = Object.keys(byDate).sort().pop();
  return latest ? { localDate: latest, delivery: byDate[latest] as Delivery } : undefined;
}
