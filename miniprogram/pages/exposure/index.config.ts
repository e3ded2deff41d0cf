export default definePageConfig({ navigationBarTitleText: '接触详情 Exposures' });
