// One babel config, two users: the Taro build (TARO_ENV is set by `taro build`) and jest.
module.exports = (api) => {
  const taro = Boolean(process.env.TARO_ENV);
  api.cache.using(() => (taro ? 'taro' : 'jest'));
  if (taro) {
    return {
      // the oldest engines the mini-program supports (README, "Which phones"): iOS 14's JavaScriptCore
      // (the first with BigInt, which Ed25519 needs) and Chrome 67's V8 (BigInt's first; WeChat's
      // Android engine is newer)
      presets: [['taro', { framework: 'react', ts: true, compiler: 'webpack5', targets: { ios: '14', chrome: '67' } }]],
    };
  }
  return {
    presets: [
      ['@babel/preset-env', { targets: { node: 'current' } }],
      ['@babel/preset-typescript', { allowDeclareFields: true }],
      ['@babel/preset-react', { runtime: 'automatic' }],
    ],
  };
};
