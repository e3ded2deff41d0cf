/** Regions (docs/protocol.md §15): the home region, the regions followed and their cost, an upload's regions. */
export const REGIONS = {
  regionNational: { en: 'all of China', zh: '全国' },
  regionUnknown: { en: 'region not given', zh: '未指明地区' },
  reasonRegion: { en: '(published for {region})', zh: '（{region}发布）' },
  regionsTitle: { en: 'Regions', zh: '所在地区' },
  regionsIntro: {
    en: 'Your phone downloads the keys published for your home region and for the regions of the venues you checked in at in the last 14 days. You choose your home region; your location is never used.',
    zh: '手机只下载您的常住地区以及近14天登记过的场所所在地区发布的密钥。常住地区由您选择，从不使用您的位置。',
  },
  homeRegion: { en: 'Home region: {region}', zh: '常住地区：{region}' },
  homeRegionNone: { en: 'No home region chosen', zh: '尚未选择常住地区' },
  homeRegionWhy: {
    en: 'Without a home region your phone downloads every key published in China. Choose one to download only what concerns you.',
    zh: '未选择常住地区时，手机会下载全国发布的所有密钥。选择常住地区后，只下载与您相关的部分。',
  },
  chooseProvince: { en: 'Choose a province', zh: '选择省份' },
  chooseRegion: { en: 'Choose a city or prefecture', zh: '选择城市或地区' },
  homeRegionSet: { en: 'Home region set to {region}.', zh: '常住地区已设为{region}。' },
  regionsFollowed: { en: 'Downloaded for', zh: '正在下载' },
  regionCost: { en: '{region}: {size} a day', zh: '{region}：每天{size}' },
  regionCostUnknown: { en: '{region}: known after the next check', zh: '{region}：下次检查后可知' },
  regionsTotal: { en: 'In all about {size} a day', zh: '合计每天约{size}' },
  uploadRegions: {
    en: 'Regions you were in during the 14 days (tap to leave one out; at most 8)',
    zh: '14天内到过的地区（点击可排除，最多8个）',
  },
  uploadRegionsNone: {
    en: 'No region: your keys go to the list every phone checks, without a region.',
    zh: '未选择地区：密钥将发布到所有手机都会检查的“未指明地区”名单。',
  },
  addRegion: { en: 'Add a region', zh: '添加地区' },
  sizeB: { en: '{n} B', zh: '{n}字节' },
  sizeKB: { en: '{n} KB', zh: '{n}千字节' },
  sizeMB: { en: '{n} MB', zh: '{n}兆字节' },
  tooManyRegions: { en: 'At most 8 regions can be named.', zh: '最多可选择8个地区。' },
} as const;
