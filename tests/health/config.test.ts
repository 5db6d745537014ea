import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('HEALTH_PORT and HEALTH_HOST', () => {
  it('leave the endpoint off by default, on the loopback address when on', () => {
    const defaults = loadConfig({});
    expect(defaults.HEALTH_PORT).toBeUndefined();
    expect(defaults.HEALTH_HOST).toBe('127.0.0.1');
    expect(loadConfig({ HEALTH_PORT: '' }).HEALTH_PORT).toBeUndefined();
    expect(loadConfig({ HEALTH_PORT: ' 8080 ', HEALTH_HOST: '0.0.0.0' })).toMatchObject({
      HEALTH_PORT: 8080,
      HEALTH_HOST: '0.0.0.0',
    });
    expect(loadConfig({ HEALTH_PORT: '0' }).HEALTH_PORT).toBe(0);
  });

  it('refuses a port that is not one, naming the variable', () => {
    for (const bad of ['65536', 'http', '-1', '80.5'])
      expect(problems({ HEALTH_PORT: bad })).toEqual(['HEALTH_PORT must be a port number from 0 to 65535']);
  });

  it("refuses the port Slack's HTTP mode listens on", () => {
    const slackHttp = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', PORT: '3000' };
    expect(problems({ ...slackHttp, HEALTH_PORT: '3000' })).toEqual([
      "HEALTH_PORT must differ from PORT, which Slack's HTTP mode listens on",
    ]);
    expect(problems({ ...slackHttp, HEALTH_PORT: '3001' })).toEqual([]);
    // Socket Mode listens on no port.
    expect(problems({ ...slackHttp, SLACK_APP_TOKEN: 'xapp-1', HEALTH_PORT: '3000' })).toEqual([]);
  });
});
