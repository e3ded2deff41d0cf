// One babel config, two users: the Taro build (TARO_ENV is set by `taro build`) and jest.
module.exports = (api) => {
  const taro = Boolean(process.env.TARO_ENV);
  api.cache.using(() => (taro ? 'taro' : 'jest'));
  if (taro) {
    return {
      presets: [['taro', { framework: 'react', ts: true, compiler: 'webpack5' }]],
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
