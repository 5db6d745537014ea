import { pathToFileURL } from 'node:url';
import { PermissionFlagsBits } from 'discord.js';

/** The least the bot needs: see channels, post, embed (cards) and read history (to edit its posts). */
export const INVITE_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.ReadMessageHistory;

export function inviteUrl(applicationId: string): string {
  const scope = encodeURIComponent('bot applications.commands');
  return `https://discord.com/oauth2/authorize?client_id=${encodeURIComponent(applicationId)}&scope=${scope}&permissions=${INVITE_PERMISSIONS}`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const applicationId = process.env.DISCORD_APPLICATION_ID ?? process.argv[2];
  if (!applicationId || !/^\d{15,21}$/.test(applicationId)) {
    console.error(
      'Set DISCORD_APPLICATION_ID (the application id from the Developer Portal). See docs/discord.md.',
    );
    process.exit(2);
  }
  console.log(inviteUrl(applicationId));
}
