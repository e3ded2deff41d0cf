/**
 * The host of the platform this build is for. Taro resolves `index.<platform>.ts` when it builds for
 * that platform (its "统一接口的多端文件", docs.taro.zone/docs/envs), so `npm run build:weapp` takes
 * index.weapp.ts; this default is what any other build (and the type checker) sees. A second
 * super-app is one more `index.<platform>.ts` beside this one.
 */
import type { Host } from './types';

export function createHost(): Host {
  throw new Error(`no host implementation for platform "${process.env.TARO_ENV ?? 'unknown'}"`);
}
