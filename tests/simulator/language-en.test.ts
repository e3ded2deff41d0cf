/** Every page in every state, in English, on the real build (tests/helpers/every-page.ts). */
import { checkLanguage } from '../helpers/language-suite';

checkLanguage('en');
