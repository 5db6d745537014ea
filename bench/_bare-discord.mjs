/**
 * The memory benchmark's baseline (`bench/discord.ts`): a bare discord.js client with the default
 * options and caches, logged in with the Guilds intent like thawbot. Plain JavaScript on plain Node.
 * Writes "ready <guilds> <channels> <users>" to standard error at READY, like thawbot's log line.
 * Usage: node bench/_bare-discord.mjs API_URL TOKEN
 */
import { Client, Events, GatewayIntentBits } from 'discord.js';

const [apiUrl, token] = process.argv.slice(2);
const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: apiUrl } });
client.once(Events.ClientReady, () => {
  const counts = [client.guilds.cache.size, client.channels.cache.size, client.users.cache.size];
  process.stderr.write(`ready ${counts.join(' ')}\n`);
});
process.once('SIGTERM', () => {
  void client.destroy().finally(() => process.exit(0));
});
await client.login(token);
