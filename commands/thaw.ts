import { topicCommand } from './topic-command.ts';

export const thaw = topicCommand('thaw', 'thaw', 'What the Khrushchev Thaw was, with a fun fact and sources');
