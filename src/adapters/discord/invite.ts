import { pathToFileURL } from 'node:url';
import { PermissionFlagsBits } from 'discord.js';
import { loadDotEnv } from '../../config.ts';
import { readScriptEnv } from './register.ts';

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
  loadDotEnv();
  // An id given on the command line wins over .env and the environment.
  const env = process.argv[2] ? { ...process.env, DISCORD_APPLICATION_ID: process.argv[2] } : process.env;
  const read = readScriptEnv(env, false);
  if (!read.ok) {
    console.error(`${read.problems.join('\n')}\nSee docs/discord.md.`);
    process.exit(2);
  }
  console.log(inviteUrl(read.value.applicationId));
}
