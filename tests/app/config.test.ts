import { describe, expect, it } from 'vitest';
import { type ConfigError, discordConfigured, loadConfig, slackConfigured } from '../../src/config.ts';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    return (error as ConfigError).problems;
  }
}

describe('config', () => {
  it('has defaults that run the playground', () => {
    const config = loadConfig({});
    expect(config.DATA_FILE).toBe('./data/thawbot.json');
    expect(config.CONTENT_DIR).toBe('./content');
    expect(config.PORT).toBe(3000);
    expect(discordConfigured(config)).toBe(false);
    expect(slackConfigured(config)).toBe(false);
  });

  it('names each bad or missing variable on its own line', () => {
    expect(
      problems({
        DISCORD_TOKEN: 'x',
        SLACK_BOT_TOKEN: 'nope',
        PORT: '99999',
        LOG_LEVEL: 'loud',
        DISCORD_API_URL: 'ftp://x',
      }),
    ).toEqual([
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
      'DISCORD_API_URL must be an http(s) URL',
      'SLACK_BOT_TOKEN must be a bot token starting with xoxb-',
      'PORT must be a port number from 1 to 65535',
    ]);
    expect(problems({ DISCORD_TOKEN: 'x' })).toEqual([
      'DISCORD_APPLICATION_ID is required when DISCORD_TOKEN is set',
    ]);
    expect(problems({ SLACK_BOT_TOKEN: 'xoxb-1' })).toEqual([
      'SLACK_APP_TOKEN or SLACK_SIGNING_SECRET is required when SLACK_BOT_TOKEN is set (Socket Mode or HTTP mode)',
    ]);
  });

  it('takes how many learners the data files keep in memory, a whole number from 1', () => {
    expect(loadConfig({}).STUDY_LEARNERS_IN_MEMORY).toBeUndefined();
    expect(loadConfig({ STUDY_LEARNERS_IN_MEMORY: '500' }).STUDY_LEARNERS_IN_MEMORY).toBe(500);
    for (const bad of ['0', '1.5', 'lots'])
      expect(problems({ STUDY_LEARNERS_IN_MEMORY: bad })).toEqual([
        'STUDY_LEARNERS_IN_MEMORY must be a whole number from 1 to 100000',
      ]);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DISCORD_TOKEN: '', DATA_FILE: ' ' }).DATA_FILE).toBe('./data/thawbot.json');
  });

  it('never puts a secret value into its messages', () => {
    const secret = 'xapp-not-so-secret-but-still';
    expect(problems({ SLACK_APP_TOKEN: secret }).join('\n')).not.toContain(secret);
  });
});
