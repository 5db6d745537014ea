import fc from 'fast-check';
import slackifyMarkdown from 'slackify-markdown';
import { describe, expect, it } from 'vitest';
import { isPlain, markdownToMrkdwn, neutraliseMentions } from '../../src/adapters/slack/mrkdwn.ts';

const alphabet = 'ab cdXY\n\n.,\'"()?;:-+=0123456789*_[]`~#|!&<>\\/\t@ÄЖ'.split('');
const text = fc.array(fc.constantFrom(...alphabet), { maxLength: 40 }).map((cs) => cs.join(''));
// Mostly prose characters, so that many samples take the fast path.
const prose = fc
  .array(fc.constantFrom(...'ab cd XY\n.,\'"()?;0123456789-+ÄЖ@/\t'.split('')), { maxLength: 40 })
  .map((cs) => cs.join(''));

describe('markdownToMrkdwn', () => {
  it('skips the parser only where the parser would change nothing', () => {
    let plain = 0;
    fc.assert(
      fc.property(fc.oneof(text, prose), (s) => {
        if (!isPlain(s)) return;
        plain++;
        expect(slackifyMarkdown(s).replace(/\n+$/, '')).toBe(s.trim());
      }),
      { numRuns: 3000 },
    );
    expect(plain).toBeGreaterThan(300);
  });

  it('recognises plain prose as plain and Markdown as not', () => {
    expect(isPlain("Khrushchev's speech lasted about four hours (a long one).")).toBe(true);
    for (const md of [
      '**b**',
      '*i*',
      '[l](https://x.org)',
      '- item',
      '1. item',
      'https://x.org',
      'a & b',
      'x\n\ny',
    ]) {
      expect(isPlain(md)).toBe(false);
    }
  });

  it('gives the same answer from the cache', () => {
    const md = '**Cached** [link](https://example.org/a) & more';
    const first = markdownToMrkdwn(md);
    expect(markdownToMrkdwn(md)).toBe(first);
    expect(first).toContain('<https://example.org/a|link>');
    expect(first).toContain('&amp;');
  });

  it('does not turn escaped markup back into mentions', () => {
    for (const md of [
      '&lt;@U123&gt;',
      '&lt;#C1|general&gt;',
      '&lt;!here&gt;',
      '[&lt;@U1&gt;](https://x.org)',
      '**&lt;@U1&gt;**',
    ]) {
      const out = markdownToMrkdwn(md);
      expect(out).not.toMatch(/<[@#!]/);
    }
    expect(markdownToMrkdwn('&lt;@U123&gt;')).toBe('&lt;@U123&gt;');
  });

  it('never lets mention or link markup through', () => {
    fc.assert(
      fc.property(text, (s) => {
        const out = markdownToMrkdwn(`${s} <!channel> ${s}`);
        expect(out).not.toMatch(/<!|<@|<#/);
      }),
      { numRuns: 500 },
    );
  });
});

describe('neutraliseMentions', () => {
  it('turns mention markup into plain names', () => {
    expect(neutraliseMentions('<@U1|ann> <@W2> <!subteam^S1|@team> <#C1|general> <!here|here>')).toBe(
      '@ann @W2 @team #general @\u200bhere',
    );
  });
});
