export default definePageConfig({ navigationBarTitleText: '我的日记', enablePageMeta: true });
