/** The sample's stand-in for an LLM: fixed answers, streamed word by word, no network. */

/** Pause between tokens, as an LLM streams them. */
export const TOKEN_INTERVAL_MS = 30;

/** The answers the scripted "LLM" gives: Arabic to a question with Arabic letters, else English. */
export const SCRIPTED_ANSWERS = {
  ar:
    'أهلا بك، يسعدني أن أساعدك اليوم. لقد راجعت حسابك ووجدت أن آخر دفعة وصلت يوم الثلاثاء. ' +
    'رصيدك الحالي يكفي لتجديد الاشتراك الشهري دون رسوم إضافية. ' +
    'هل تريد أن أرسل لك رابطا لتغيير الباقة؟ أنا هنا إذا احتجت أي شيء آخر.',
  en:
    'Hello, I am happy to help you today. I checked your account and your last payment arrived ' +
    'on Tuesday. Your balance covers the monthly renewal with no extra fees. Would you like a ' +
    'link to change your plan? I am here if you need anything else.',
} as const;

/** The answer the scripted "LLM" gives to `question`. */
export function answerTo(question: string): string {
  return /[\u0600-\u06ff]/.test(question) ? SCRIPTED_ANSWERS.ar : SCRIPTED_ANSWERS.en;
}

/**
 * Streams `answer` one word per token (a space before each but the first), `TOKEN_INTERVAL_MS`
 * apart; `onLastToken` hears when the last one was produced (`Date.now()`).
 */
export async function* scriptedTokens(
  answer: string,
  onLastToken: (at: number) => void,
): AsyncGenerator<string> {
  const words = answer.split(' ');
  for (let index = 0; index < words.length; index++) {
    await new Promise((resolve) => setTimeout(resolve, TOKEN_INTERVAL_MS));
    if (index === words.length - 1) onLastToken(Date.now());
    yield index === 0 ? words[0] : ` ${words[index]}`;
  }
}
