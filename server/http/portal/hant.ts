/**
 * Traditional Chinese from Simplified for the advice form (issue 29), with OpenCC (opencc-js), as
 * the mini-program's own Traditional strings are made (tools/gen-hant.ts): phrases as well as
 * characters, Taiwan's usage for zh_TW and Hong Kong's for zh_HK, corner quotes 「」.
 */
import * as OpenCC from 'opencc-js';

let converters: Record<'zh_TW' | 'zh_HK', (s: string) => string> | null = null;

export function toHant(text: string, lang: 'zh_TW' | 'zh_HK'): string {
  // the dictionaries take a second or two to build: once, on first use
  converters ??= { zh_TW: OpenCC.Converter({ from: 'cn', to: 'twp' }), zh_HK: OpenCC.Converter({ from: 'cn', to: 'hk' }) };
  return converters[lang](text).replace(/“/g, '「').replace(/”/g, '」').replace(/‘/g, '『').replace(/’/g, '』');
}
