import { randomBytes } from 'node:crypto';

/** 16 random bytes as hex: a row id that says nothing about when the row was written. */
export function randomId(): string {
  return randomBytes(16).toString('hex');
}
