/** The mini-program's words: `t` for interface strings, `age` for "5 min", and (messages.ts) every code as a sentence. */
export { age, t, type Language, type StringKey } from './strings';
