export default definePageConfig({ navigationBarTitleText: '健康码 Health code' });
