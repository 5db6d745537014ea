import { topicCommand } from './topic-command.ts';

export const secretSpeech = topicCommand(
  'secret-speech',
  'secret-speech',
  "Khrushchev's Secret Speech of 25 February 1956, with a fun fact and sources",
);
