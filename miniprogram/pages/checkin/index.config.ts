export default definePageConfig({ navigationBarTitleText: '场所登记 Check in' });
