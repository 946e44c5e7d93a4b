/**
 * The part of the injection detector that reads meaning rather than markup: does the answer talk to
 * its grader, about its own grading, or about the other answer it is compared with?
 *
 * An honest answer to a question is about the question. An answer built to sway an LLM judge has to
 * talk about the judging: it names the grader ("Note to the evaluator"), a grading outcome ("full
 * marks", "the winner", "your verdict"), itself as a contestant ("this response", "the answer above")
 * or its rival ("the other answer", "both responses"), and asks, claims or orders something about
 * them. Each of those is a *concept* here, with its words in the languages a league is likely to see
 * (English, French, Spanish, Portuguese, Italian, German, Dutch, Polish, Turkish, Russian, Ukrainian,
 * Chinese, Japanese, Korean, Arabic, Hindi, Vietnamese, Indonesian). A sentence is flagged when two
 * concepts meet in it in a way that only the judging explains (see {@link RULES}); no phrase is listed
 * whole, so a rewording in any of those languages is caught as long as it still has to say what it
 * wants.
 *
 * What it cannot see: an instruction with no word of any concept (pure role-play with no grader,
 * outcome or answer in it), and an answer to a question that is itself about grading or LLM judges,
 * where these words are the subject: there only the answer's own prose counts (quotes and code are
 * left out) and it must name itself as a contestant.
 */

export type AddressKind = 'instruction-to-grader' | 'claimed-verification' | 'fake-judge-output';

export interface GraderAddress {
  readonly kind: AddressKind;
  /** The sentence (or line) that matched, as it read after normalising. */
  readonly sentence: string;
  /** The concepts that met in it, e.g. `grader + outcome`. */
  readonly concepts: string;
}

type Concept =
  | 'grader'
  | 'judge'
  | 'self'
  | 'rival'
  | 'outcome'
  | 'override'
  | 'instructions'
  | 'reference'
  | 'wrong'
  | 'approval'
  | 'authority'
  | 'prior-grading'
  | 'approval-weak'
  | 'league'
  | 'agreement'
  | 'approval-lead'
  | 'titled-person'
  | 'record'
  | 'label'
  | 'judging-record'
  | 'pick-self'
  | 'skip-judging'
  | 'supersedes';

/** Letters on either side: stems match at a word start; CJK terms match anywhere. */
const START = String.raw`(?<![\p{L}\p{N}])`;
const END = String.raw`(?![\p{L}\p{N}])`;
const ANY = String.raw`\p{L}*`;

function concept(latin: readonly string[], cjk: readonly string[] = []): RegExp {
  const parts = latin.map((w) => `${START}(?:${w})`);
  if (cjk.length > 0) parts.push(`(?:${cjk.join('|')})`);
  return new RegExp(parts.join('|'), 'u');
}

const ANSWER_NOUN = `(?:answers?|responses?|repl(?:y|ies)|submissions?|solutions?|outputs?|completions?|entr(?:y|ies)|candidates?)`;
/** What else an answer calls itself: "this proof", "my implementation". */
const WORK_NOUN = `(?:${ANSWER_NOUN.slice(3, -1)}|code|proof|explanation|implementation|derivation|write-?up|analysis|essay|summary|version|attempt|work|program|script|document|text)`;

/** The grader, named unmistakably: the words no answer needs unless it talks to its grader. */
const GRADER = concept(
  [
    `(?:grader|evaluator|assessor|rater|scorer|annotator)s?${END}`,
    String.raw`(?:ai|llm|gpt|model|automated|automatic|impartial)\s(?:judge|referee|reviewer|examiner)s?${END}`,
    String.raw`judg(?:e|ing)\s(?:model|llm|ai|system|prompt)`,
    String.raw`whoever\s(?:is\s)?(?:reads?|reading|compares?|comparing|grades?|grading|evaluates?|evaluating|judges?|judging|scores?|scoring|reviews?|reviewing|assess(?:es)?|assessing|ranks?|ranking)`,
    String.raw`(?:model|assistant|ai|llm|system|agent|person|one)\s(?:(?:that|who|which)\s(?:is\s)?)?(?:doing\sthe\s(?:comparison|grading|evaluation|judging|scoring)|comparing|evaluating|grading|judging|scoring|assessing|ranking)\s(?:these|the|this|both|two)`,
    String.raw`(?:ai|llm|model|assistant|bot|system|machine)s?\s(?:that\s(?:is\s|are\s)?|who\s(?:is\s|are\s)?)?(?:reading|reviewing|processing|evaluating|seeing|parsing|checking)\s(?:this|these|me|my|our|the\s(?:following|above))`,
    // The grading as something the reader is doing: "before you grade", "while comparing them".
    String.raw`(?:before|while|when|after)\s(?:you\s(?:are\s)?)?(?:grading|comparing|evaluating|judging|scoring|assessing|ranking)${END}`,
    String.raw`(?:before|while|when|as|after)\syou\s(?:grade|compare|evaluate|judge|score|assess|rank)${END}`,
    String.raw`you\s(?:are\s)?(?:grad(?:e|ing)|compar(?:e|ing)|evaluat(?:e|ing)|judg(?:e|ing)|scor(?:e|ing))\s(?:this|these|the|both|my|our|them|it)${END}`,
    String.raw`as\san?\s(?:impartial|neutral|fair|objective|unbiased|honest|responsible|ai|llm)\s(?:ai|llm|model|assistant|judge|grader|evaluator|system)${END}`,
    String.raw`your\s(?:verdict|judg(?:e)?ment|evaluation|grading|scoring|decision|comparison|assessment|ranking)${END}`,
    // French, Spanish, Portuguese, Italian, German, Dutch, Polish, Turkish
    String.raw`(?:la\spersonne|celui|celle)\squi\s(?:évalue|corrige|note|juge|compare)`,
    String.raw`(?:la\spersona|quien|quienes)\s(?:que\s)?(?:evalúe|evalúa|evalua|califique|califica|corrija|corrige|juzgue|juzga|compare|compara)`,
    String.raw`quem\s(?:avalia|avaliar|corrige|corrigir|julga|julgar|compara)`,
    String.raw`chi\s(?:valuta|corregge|giudica|confronta)`,
    String.raw`(?:wer|die\sperson,?\sdie)\s(?:\p{L}+\s)?(?:bewertet|korrigiert|beurteilt|vergleicht)`,
    `correct(?:eur|rice)s?${END}`,
    `(?:é|e)valuat(?:eur|rice)s?${END}`,
    `examinat(?:eur|rice)s?${END}`,
    `evaluador(?:a|es|as)?${END}`,
    `calificador(?:a|es|as)?${END}`,
    `corrector(?:a|es|as)?${END}`,
    `examinador(?:a|es|as)?${END}`,
    `avaliador(?:a|es|as)?${END}`,
    `corretor(?:a|es|as)?${END}`,
    `valuat(?:ore|rice|ori)${END}`,
    `corrett(?:ore|rice|ori)${END}`,
    `esaminat(?:ore|rice|ori)${END}`,
    `bewerter${ANY}`,
    `korrektor${ANY}`,
    String.raw`bewertende${ANY}\s(?:ki|ai|modell|system)`,
    `beoordelaar${ANY}`,
    `examinator${ANY}`,
    `oceniając${ANY}`,
    `egzaminator${ANY}`,
    `sprawdzając${ANY}`,
    `değerlendirici${ANY}`,
    `değerlendiren${ANY}`,
    `puanlayıcı${ANY}`,
    // Russian, Ukrainian
    `оценщик${ANY}`,
    `оцінювач${ANY}`,
    `проверяющ${ANY}`,
    `экзаменатор${ANY}`,
    `оценивающ${ANY}`,
    // Arabic, Hindi, Vietnamese, Indonesian
    `(?:لل|ال)?مقي(?:ّ)?م${ANY}`,
    `(?:لل|ال)مصحح${ANY}`,
    `(?:لل|ال)محكم${ANY}`,
    `मूल्यांकनकर्ता`,
    String.raw`मूल्यांकन\sमें`,
    `मूल्यांकक`,
    `परीक्षक`,
    String.raw`người\schấm`,
    `giám khảo`,
    `penilai${END}`,
    `(?:mtathmini|msahihishaji|mwamuzi)${END}`,
  ],
  [
    '评委',
    '评审员',
    '评审人',
    '评分者',
    '评分员',
    '评分人',
    '评估者',
    '评判',
    '阅卷',
    '考官',
    '判官',
    '評審',
    '採点者',
    '採点官',
    '評価者',
    '審査員',
    '判定者',
    'ジャッジ',
    '採点を担当する',
    '採点モデル',
    '評価モデル',
    '採点AI',
    '評価AI',
    '채점위원',
    '채점\\s?모델',
    'ผู้ตรวจ',
    'ผู้ให้คะแนน',
    'ผู้ประเมิน',
    'ผู้ตัดสิน',
    '채점자',
    '평가자',
    '심사위원',
    '심사자',
  ],
);

/** Words that name a judge but have everyday senses too (courts, sport, peer review). */
const JUDGE = concept([
  `(?:judge|jury|juror|referee|reviewer|examiner)s?${END}`,
  `juges?${END}`,
  `jue(?:z|ces)${END}`,
  `jurado${END}`,
  `richter${ANY}`,
  `prüfer${ANY}`,
  `gutachter${ANY}`,
  `giudic${ANY}`,
  `juiz${ANY}`,
  `sędzi${ANY}`,
  `hakem${ANY}`,
  `jüri${ANY}`,
  `juri${END}`,
  `судь${ANY}`,
  `جهة التحكيم`,
  `(?:لل|ال)حكم${END}`,
  `जज${END}`,
]);

/** The answer naming itself as a contestant. */
const SELF = concept(
  [
    String.raw`(?:this|my|our|the\s(?:present|current|above|preceding|following))\s${WORK_NOUN}${END}`,
    String.raw`(?:this\s(?:one|paragraph|text|content)|the\s${ANSWER_NOUN}\s(?:above|below|here))${END}`,
    String.raw`(?:pick|choose|select|prefer|favou?r|rate|rank|reward)\s(?:this|me|mine|ours|us)(?=\s*(?:[.!,;:]|$|\s(?:one|as|over|above|first|highest|higher|the\swinner)))`,
    String.raw`(?:cette|ma|notre|la\sprésente)\s(?:réponse|soumission|solution|copie)`,
    String.raw`(?:esta|mi|nuestra|la\spresente)\s(?:respuesta|solución|contestación)`,
    String.raw`(?:esta|essa|minha|nossa)\s(?:resposta|solução)`,
    String.raw`(?:questa|la\smia|la\snostra)\s(?:risposta|soluzione)`,
    String.raw`(?:diese[rnms]?|meine[rnms]?|unsere[rnms]?)\s(?:antwort|lösung|einreichung)`,
    String.raw`(?:dit|mijn|ons)\santwoord|deze\s(?:oplossing|inzending)`,
    String.raw`(?:t[aęe]|moj[aeąę])\sodpowied${ANY}`,
    String.raw`bu\s(?:cevap|yanıt|yanit|çözüm)${ANY}`,
    String.raw`(?:эт(?:от|ого|ому|им|о)|мо(?:й|его|ему|ё)|данн(?:ый|ого|ому|ое))\s(?:ответ|решени)${ANY}`,
    String.raw`(?:ця|цю|моя|мою)\sвідповід${ANY}`,
    String.raw`(?:هذه|هذا)\s(?:الإجابة|الاجابة|الجواب|الرد|الحل)|(?:ل|ب)?(?:إجابت|اجابت|جواب)(?:نا|ي)${END}`,
    String.raw`(?:यह|इस)\s(?:उत्तर|जवाब)`,
    String.raw`câu\strả\slời\snày`,
    String.raw`jawaban\s(?:ini|kami|saya)|jibu\s(?:hili|letu|langu)`,
  ],
  [
    '(?:本|这个|這個|此|该|該|这份|這份|我的|本条|本篇)(?:回答|答案|回复|答复|解答|回應)',
    '(?:この|本)(?:回答|答え|解答)',
    '이\\s?(?:답변|응답|답안|대답)',
    '본\\s?답안',
    'คำตอบนี้',
  ],
);

/** The other answer of the comparison. */
const RIVAL = concept(
  [
    String.raw`(?:the|that|any)\sother\s(?:${ANSWER_NOUN}|one|model|assistant|text|document|version)${END}`,
    String.raw`compared\s(?:with|to|against)\s(?:any|the|an)\sother`,
    String.raw`(?:competing|rival|opposing|alternative|opponent'?s?|competitor'?s?)\s${ANSWER_NOUN}${END}`,
    String.raw`(?:both|the\stwo|two)\s(?:answers|responses|candidates|submissions|replies|outputs)${END}`,
    String.raw`(?:answer|response|assistant|candidate|output|submission|asistan|yanıt|cevap|respuesta|réponse|antwort|risposta|resposta|ответ|odpowiedź)\s[ab12]${END}`,
    String.raw`[ab]\s(?:yanıtı|cevabı)${END}`,
    String.raw`(?:than|over|above|to)\s(?:the\s)?(?:other|alternative|competing)(?:\s(?:one|${ANSWER_NOUN}))?${END}`,
    String.raw`(?:l'|la\s)?autre\sréponse|(?:les\s)?deux\sréponses`,
    String.raw`(?:la\s)?otra\srespuesta|(?:ambas|las\sdos)\srespuestas|que\sla\sotra`,
    String.raw`(?:a\s)?outra\sresposta|(?:ambas|as\sduas)\srespostas|que\sa\soutra`,
    String.raw`(?:l'|dell'|all')altra${END}|(?:entrambe|le\sdue)\srisposte`,
    String.raw`(?:andere[nrs]?\s)?vergleichsantwort${ANY}|(?:die|der|den)\sandere(?:n)?\santwort|beide(?:n)?\santworten`,
    String.raw`(?:het\s)?andere\santwoord|dan\shet\sandere`,
    String.raw`(?:od\s)?drugiej${END}|drug(?:a|ą)\sodpowied${ANY}`,
    String.raw`diğer(?:inden|ine|i)?${END}`,
    String.raw`(?:друг(?:ой|ого|ому|им)|второ(?:й|го))(?:\sответ${ANY})?${END}|обоих\sответ${ANY}`,
    String.raw`іншої|іншу\sвідповідь`,
    String.raw`الإجابة\sالأخرى|الأخرى`,
    String.raw`दूसरे\s(?:उत्तर|जवाब)|अन्य\sउत्तर`,
  ],
  [
    '另一(?:个|份|條|条)?(?:回答|答案|回复)',
    '对方',
    'もう一方',
    'もう片方',
    '他の回答',
    '다른\\s?(?:답변|응답|답안)',
    '상대',
  ],
);

/** A grading outcome: a verdict, a score, a rank, a win, a preference. */
const OUTCOME = concept(
  [
    `verdicts?${END}`,
    `winn(?:er|ing)s?${END}`,
    String.raw`wins?${END}`,
    String.raw`(?:full|top|maximum|max|perfect|highest|best)\s(?:marks?|score|rating|grade|points?)`,
    String.raw`(?:score|rating|grade|mark)s?${END}`,
    String.raw`(?:rate|rank|grade|score|mark)(?:d|s)?\s(?:it|this|me|us|my|our|them|highly|high|higher|highest|first|top|above|as|better|best|10|ten|5|perfect)${END}`,
    String.raw`prefer(?:red|ence|able|s)?${END}`,
    String.raw`favou?r${ANY}`,
    String.raw`(?:the\s)?(?:better|stronger|superior|best)\s(?:(?:possible|overall|available|submitted)\s)?(?:one|of\sthe\stwo|${ANSWER_NOUN})`,
    String.raw`(?:clearly|significantly|much|far|definitely|obviously)\s(?:better|superior|stronger)`,
    String.raw`(?:inferior|worse|weaker)${END}`,
    String.raw`10\s?/\s?10|100\s?/\s?100|5\s?/\s?5|ten\sout\sof\sten|10\sout\sof\s10`,
    // French, Spanish, Portuguese, Italian, German, Dutch, Polish, Turkish
    `note (?:maximale|maximum|parfaite)`,
    `(?:la )?meilleure${END}`,
    `nettement (?:meilleure|supérieure)`,
    `gagnant${ANY}`,
    `victoire${END}`,
    `préf(?:é|e)r${ANY}`,
    `veredicto${END}`,
    `puntuaci(?:ó|o)n${ANY}`,
    `calificaci(?:ó|o)n${ANY}`,
    String.raw`nota\s(?:máxima|maxima|más\salta|alta|perfecta)`,
    `ganador${ANY}`,
    `(?:muy )?superior${END}`,
    `veredito${END}`,
    `pontuação${ANY}`,
    `vencedor${ANY}`,
    `verdetto${END}`,
    `punteggio${ANY}`,
    `vincitor${ANY}`,
    `migliore${END}`,
    `(?:nettamente )?superiore${END}`,
    `urteil${ANY}`,
    `bewertung${ANY}`,
    `punktzahl${ANY}`,
    `höchstnote${ANY}`,
    `gewinner${ANY}`,
    `(?:deutlich|viel) besser`,
    `überlegen${ANY}`,
    `bevorzug${ANY}`,
    `oordeel${END}`,
    `hoogste${ANY}`,
    `winnaar${ANY}`,
    `(?:duidelijk )?beter${END}`,
    `ocen${ANY}`,
    `zwycięz${ANY}`,
    `lepsz${ANY}`,
    `maksymaln${ANY}`,
    `puan${ANY}`,
    `kazanan${ANY}`,
    String.raw`daha\siyi`,
    `üstün${ANY}`,
    // Russian, Ukrainian, Arabic, Hindi, Vietnamese, Indonesian
    `вердикт${ANY}`,
    `оценк${ANY}`,
    `балл${ANY}`,
    `победител${ANY}`,
    `лучш${ANY}`,
    `максимальн${ANY}`,
    `предпоч${ANY}`,
    `оцінк${ANY}`,
    `кращ${ANY}`,
    `الدرجة`,
    `درجة كاملة`,
    `العلامة`,
    `الفائز${ANY}`,
    `(?:ال|وال|بال)?(?:أ|ا)فضل${ANY}`,
    `(?:ل)?صالح${ANY}`,
    `पूर्ण अंक`,
    `अंक${END}`,
    `बेहतर`,
    `सर्वश्रेष्ठ`,
    `विजेता`,
    String.raw`điểm\s(?:tối\sđa|cao\snhất)`,
    String.raw`tốt\shơn`,
    String.raw`nilai\s(?:tertinggi|maksimal|sempurna)`,
    String.raw`lebih\sbaik`,
    `terbaik${END}`,
    String.raw`bora\szaidi|alama\skamili`,
  ],
  [
    '评分',
    '分数',
    '满分',
    '最高分',
    '判定',
    '判为',
    '胜出',
    '获胜',
    '胜者',
    '更好',
    '更优',
    '优于',
    '最佳',
    '滿分',
    '點數',
    '満点',
    '最高点',
    '点数',
    '勝者',
    '優れ',
    'より良い',
    '最良',
    '高く評価',
    '점수',
    '만점',
    '최고점',
    '승자',
    '우수',
    '더\\s?나은',
    '더\\s?좋',
    '大幅に優れ',
    '정답으로',
    'คะแนน',
    'ดีกว่า',
    'สูงกว่า',
  ],
);

/** Telling someone to set something aside. */
const OVERRIDE = concept(
  [
    `ignor(?:e|es|ed|ing|ez|er|a|ar|ate|iere|ieren|ier|uj|eer|eren)${END}`,
    `zignoruj${ANY}`,
    `disregard${ANY}`,
    `forget${END}`,
    `overrid${ANY}`,
    `bypass${ANY}`,
    String.raw`set\saside`,
    String.raw`pay\sno\sattention`,
    String.raw`(?:do\snot|don't|dont)\s(?:consider|look\sat|use|follow|apply)`,
    String.raw`sans\stenir\scompte|ne\stenez\spas\scompte|oubliez`,
    String.raw`olvida${ANY}|no\stengas\sen\scuenta|haz\scaso\somiso`,
    String.raw`desconsider${ANY}|esqueça`,
    String.raw`dimentica${ANY}|non\sconsiderare`,
    String.raw`vergiss${ANY}|missacht${ANY}|beachte\s(?:\p{L}+\s)?nicht`,
    `negeer${ANY}`,
    String.raw`pomiń|zapomnij`,
    String.raw`yok\ssay${ANY}|görmezden\sgel${ANY}|dikkate\salma`,
    `игнорир${ANY}`,
    `проигнорир${ANY}`,
    `забуд${ANY}`,
    String.raw`не\sучитыва${ANY}`,
    `تجاهل${ANY}`,
    `(?:أ|ا)همل${ANY}`,
    `अनदेखा`,
    `नज़रअंदाज़`,
    String.raw`bỏ\squa`,
    `abaikan`,
  ],
  ['忽略', '无视', '無視', '不要考虑', '不必考虑', '忘记', '忘掉', '無視して', '忘れ', '무시', '잊어'],
);

/** What a judge is told to follow: its instructions, rubric, criteria, reference. */
const INSTRUCTIONS = concept(
  [
    String.raw`(?:previous|prior|above|earlier|preceding|original|initial|system|your|all|grading|judging|scoring|evaluation)\s(?:\p{L}+\s)?(?:instructions?|prompts?|rules|guidelines|criteria|rubrics?|directions)`,
    `instructions?${END}`,
    `rubrics?${END}`,
    String.raw`system\sprompt`,
    `instrucci(?:ó|o)n${ANY}`,
    `instru(?:ç|c)(?:ã|a)o${ANY}|instruções`,
    `istruzion${ANY}`,
    `anweisung${ANY}`,
    `instructie${ANY}`,
    `instrukcj${ANY}`,
    `talimat${ANY}`,
    `инструкци${ANY}`,
    `інструкці${ANY}`,
    `تعليمات`,
    `निर्देश`,
  ],
  ['指示', '指令', '评分标准', '評分標準', '採点基準', '지시', '지침', '채점 기준'],
);

/** The league's reference answer. */
const REFERENCE = concept(
  [
    String.raw`(?:reference|gold|official|expected|provided|model|correct|standard)\s(?:answer|solution|response)s?${END}`,
    String.raw`the\sreference(?=\s(?:is|was|has|contains|says|states|gives|itself|here|provided|used|answer|solution)${END}|\s?[.,;:)!]|$)`,
    String.raw`answer\skey`,
    String.raw`gold\sstandard`,
    String.raw`réponse\sde\sréférence|référence${END}`,
    String.raw`respuesta\sde\sreferencia|referencia${END}`,
    String.raw`resposta\sde\sreferência|referência${END}`,
    String.raw`risposta\sdi\sriferimento|riferimento${END}`,
    String.raw`referenz${ANY}|musterlösung${ANY}|vergleichslösung${ANY}`,
    `referentie${ANY}`,
    `referencyjn${ANY}`,
    String.raw`referans\s(?:cevap|yanıt)${ANY}`,
    `эталон${ANY}`,
    `еталон${ANY}`,
    String.raw`(?:ال)?إجابة\s(?:ال)?مرجعية|المرجع${ANY}`,
    String.raw`संदर्भ\sउत्तर|आधिकारिक\sउत्तर|उत्तर-?\s?कुंजी`,
    String.raw`jawaban\sreferensi|kunci\sjawaban|jibu\sla\smarejeo`,
  ],
  [
    '参考答案',
    '标准答案',
    '參考答案',
    '参照解答',
    '模範解答',
    '正解例',
    '참고\\s?답안',
    '기준\\s?답안',
    '모범\\s?답안',
  ],
);

const WRONG = concept(
  [
    `(?:wrong|incorrect|erroneous|outdated|mistaken|flawed|invalid|inaccurate|buggy|obsolete)${END}`,
    String.raw`in\serror|contains?\s(?:an?\s)?(?:known\s)?(?:error|mistake)s?|errata`,
    `faux${END}|fausse${END}|erron${ANY}|incorrecte?s?${END}|obsolète|erreur${ANY}`,
    `incorrect${ANY}|err(?:ó|o)ne${ANY}|equivocad${ANY}|desactualizad${ANY}|desatualizad${ANY}|errad${ANY}`,
    `sbagliat${ANY}|errat${ANY}|obsolet${ANY}|errore${END}`,
    `falsch${ANY}|fehlerhaft${ANY}|veraltet${ANY}|fehler${ANY}`,
    `onjuist${ANY}|fout${ANY}|verouderd${ANY}`,
    `błęd${ANY}|niepoprawn${ANY}`,
    `yanlış${ANY}|hatalı${ANY}|hata${ANY}`,
    `неверн${ANY}|ошиб${ANY}|устарел${ANY}|неправильн${ANY}|помилк${ANY}`,
    `خاطئ${ANY}|خطأ|غير صحيح${ANY}`,
    `गलत|त्रुटि|पुराना|पुरानी`,
    `(?:salah|keliru|usang|sissahihi|limepitwa)${END}`,
  ],
  ['错误', '有误', '过时', '不正确', '錯誤', '誤り', '間違', '오류', '틀린', '잘못'],
);

/** Approval words: what a claim of prior verification says happened. */
const APPROVAL = concept(
  [
    String.raw`(?:pre[\s-]?)?(?:verified|validated|approved|certified|confirmed|endorsed|vetted|authenticated|accredited|whitelisted|sanctioned|ratified)${END}`,
    String.raw`signed\soff|fact[\s-]checked|checked\sand\s(?:approved|confirmed)|reviewed\sand\s(?:approved|accepted|confirmed)`,
    String.raw`(?:accepted|passed)\sby`,
    String.raw`(?:i|we)\s(?:hereby\s|officially\s)?(?:confirm|certify|verify|attest|guarantee|approve|validate|endorse)${END}`,
    `v(?:é|e)rifi(?:é|ée|ed|cad|cada|cado|cata|cato|ziert|ziert|eerd)${ANY}`,
    `valid(?:é|ée|ada|ado|ata|ato|iert|eerd)${ANY}`,
    `approuv${ANY}`,
    `aprobad${ANY}`,
    `aprovad${ANY}`,
    `approvat${ANY}`,
    `certifi(?:é|ée|cad|cat|ziert)${ANY}`,
    `confirm(?:é|ée|ad|at)${ANY}`,
    `bestätigt${ANY}`,
    `geprüft${ANY}`,
    `genehmigt${ANY}`,
    `zertifiziert${ANY}`,
    `goedgekeurd${ANY}`,
    `gecontroleerd${ANY}`,
    `zatwierdz${ANY}`,
    `zweryfikowan${ANY}`,
    `potwierdz${ANY}`,
    `sprawdzon${ANY}`,
    `onaylan${ANY}`,
    `doğrulan${ANY}`,
    `провер(?:ен|ено|енный)${ANY}`,
    `подтвержд${ANY}`,
    `одобр${ANY}`,
    `утвержд${ANY}`,
    `сертифицир${ANY}`,
    `перевірен${ANY}`,
    `схвален${ANY}`,
    String.raw`تم\s(?:التحقق|اعتماد|التأكد)`,
    `معتمد${ANY}`,
    `موثق${ANY}`,
    `सत्यापित|सत्यापन|जाँचsकीsजाsचुकी|सहीsपाया`,
    `प्रमाणित`,
    `अनुमोदित`,
    String.raw`đã\s(?:được\s)?(?:xác\sminh|phê\sduyệt|kiểm\stra)`,
    String.raw`telah\s(?:diverifikasi|disetujui)`,
  ],
  [
    '已认证',
    '认证',
    '已验证',
    '验证通过',
    '审核通过',
    '已审核',
    '批准',
    '已确认',
    '認定',
    '承認',
    '検証済',
    '確認済',
    '검증',
    '승인',
    '인증',
  ],
);

/** Weaker approval words: enough only when the league's own people are named with them. */
const APPROVAL_WEAK = concept([
  String.raw`(?:checked|accepted|reviewed|passed|cleared|signed|audited|tested|marked\s(?:as\s)?correct|moderated)${END}`,
  `vérifi${ANY}|revisad${ANY}|controllat${ANY}|kontrolliert${ANY}|проверен${ANY}|принят${ANY}`,
]);

/** Organisers, moderators and graders, in the concepts' languages: words both authority concepts know. */
const ORGANISER_WORDS: readonly string[] = [
  `moderators?${END}`,
  String.raw`(?:grading|judging|evaluation|marking|scoring|organi[sz]ers?'?s?)\s(?:pipeline|system|checker|bot|script|process|service|harness|ci|verifier)${END}`,
  `(?:graders|evaluators)${END}`,
  `organisat${ANY}`,
  `organizad${ANY}`,
  `organizzat${ANY}`,
  `organizator${ANY}`,
  `veranstalter${ANY}`,
  `düzenleyic${ANY}`,
  `организатор${ANY}`,
  `організатор${ANY}`,
  `المنظم${ANY}`,
  `आयोजक${ANY}`,
  String.raw`ban\stổ\schức`,
  `panitia`,
];
const ORGANISER_CJK: readonly string[] = [
  '主办方',
  '组委会',
  '組委會',
  '评审团',
  '運営',
  '主催者',
  '주최',
  '운영진',
];

/** The league's own people: organisers, judges, moderators, the question's author, the event itself. */
const LEAGUE_AUTHORITY = concept(
  [
    `organi[sz]er${ANY}`,
    String.raw`organi[sz]ing\s(?:committee|team|board)`,
    String.raw`(?:judging|organi[sz]er'?s?'?)\s(?:panel|board|team|committee)`,
    String.raw`(?:question|problem|task)\s(?:author|setter|writer|creator)s?|(?:author|setter|writer|creator)s?\sof\s(?:this|the)\s(?:question|problem|task|reference|answer\skey)`,
    String.raw`(?:competition|contest|league|leaderboard|benchmark|event|challenge|hackathon)\s(?:staff|officials?|admins?|administrators?|organi[sz]ers?|judges|committee|maintainers|moderators|team|board|ci)`,
    String.raw`llm\sleague|(?:this|the)\s(?:competition|contest|challenge|hackathon)(?:'s)?${END}`,
    ...ORGANISER_WORDS,
  ],
  [...ORGANISER_CJK, '채점위원회', '采点委员会', '審査委員会'],
);

/** Who could approve an answer: a committee or panel, a group of experts. */
const AUTHORITY = concept(
  [
    `committee${END}`,
    `(?:judges|jury|juges|jueces|richter|giudici|juízes|sędziowie|hakemler|судьи)${END}`,
    `(?:jurado|giuria|júri|jüri|жюри)${END}`,
    String.raw`(?:review|expert)\s(?:panel|board|team|committee)`,
    String.raw`panel\sof\s(?:\p{L}+\s)?(?:experts|judges|reviewers)|(?:domain\s)?experts${END}`,
    String.raw`(?:competition|contest|league|leaderboard|benchmark|event)\s(?:staff|officials?|admins?|administrators?|organi[sz]ers?|judges|committee|maintainers|moderators)`,
    `comit(?:é|e)${END}`,
    `comisi(?:ó|o)n${END}`,
    `commissione${END}`,
    `banca${END}`,
    `komitee${ANY}`,
    `ausschuss${ANY}`,
    `jury${END}`,
    `juri${END}`,
    `jurado${END}`,
    `giuria${END}`,
    `júri${END}`,
    `commissie${END}`,
    `komisj${ANY}`,
    `komite${ANY}`,
    `jüri${ANY}`,
    `комитет${ANY}`,
    `жюри`,
    `لجنة${ANY}`,
    `اللجنة`,
    `समिति`,
    ...ORGANISER_WORDS,
  ],
  [...ORGANISER_CJK, '委员会', '委員会', '위원회'],
);

/** A sentence that opens with an approval, as a sign-off does: "Reviewed and approved by …". */
const APPROVAL_LEAD = new RegExp(
  String.raw`^[^\p{L}]*(?:officially\s)?(?:pre[\s-]?)?(?:verified|validated|approved|certified|confirmed|endorsed|vetted|reviewed|checked|fact[\s-]checked|accepted|graded|scored|signed\soff|v(?:é|e)rifi(?:é|ée|cad[ao])|valid(?:é|ée|ad[ao])|approuv(?:é|ée)|aprobad[ao]|geprüft|bestätigt|genehmigt|gecontroleerd|goedgekeurd|geverifieerd|sprawdzon[aey]|zatwierdzon[aey]|zweryfikowan[aey]|onaylandı|doğrulandı|verificad[ao]|validad[ao]|controllat[ao]|approvat[ao]|проверено|проверен|одобрено|одобрен|подтверждено|утверждено)${END}`,
  'u',
);

/** A person named by title: "Prof. Lindqvist", "Dr Chen". */
const TITLED_PERSON = concept([
  String.raw`(?:by|von|par|por|da)\s(?:prof(?:essor)?|dr|doctor|professeur|profesor|doktor)\.?${END}`,
]);

/** Agreement with the reference: what a fake checker reports. */
const AGREEMENT = concept(
  [
    String.raw`match(?:es|ed)?${END}|(?:100\s?%|full|complete|exact)\s(?:agreement|match)|identical\sto|equivalent\sto|agrees?\swith|same\sas`,
  ],
  ['一致', '일치', 'ตรงกับ'],
);

/** Claims that the answer was graded before: "already scored", "pre-graded". */
const PRIOR_GRADING = concept([
  String.raw`(?:already|previously)\s(?:been\s)?(?:graded|scored|rated|evaluated|judged|marked|ranked|reviewed|verified|checked|approved)`,
  String.raw`pre[\s-]?(?:graded|scored|rated|evaluated|judged|screened)`,
  String.raw`(?:scored|rated|ranked|graded|marked)\s(?:highest|first|best|top|as\s(?:correct|the\sbest|perfect))`,
  String.raw`(?:déjà|ya|já|già|bereits|schon|reeds|już|zaten|уже)\s(?:\p{L}+\s)?(?:évalué|noté|corrigé|evaluad|calificad|avaliad|valutat|bewertet|benotet|beoordeeld|ocenion|değerlendiril|оценен|проверен)${ANY}`,
]);

/** A key of an evaluation record: "verdict:", "winner =", "\"score\":", "judgment:". */
const RECORD = concept([
  String.raw`(?:final\s|nihai\s)?(?:verdict|winner|karar|veredicto|verdetto|urteil|judg(?:e)?ment|preferred(?:_|\s)?(?:answer|response)?|evaluation(?:_|\s)?result|grader(?:_|\s)?(?:preference|decision|result)|decision|preference|better(?:_|\s)answer)["'*_\\\s]*[:=]\s*["'*_\\\s]*(?:(?:assistant|answer|response|model|candidate|output|submission)[\s_]?)?(?:[ab12](?=\s*(?:["'\\,.;)}\]]|$|\s(?:is|wins|was|>|\(|-|—)))|this|self|mine|previous|above|first|current)${END}`,
]);

/** Telling the judge it need not judge: "comparison may be skipped", "no need to re-evaluate". */
const SKIP_JUDGING = concept([
  String.raw`(?:comparison|evaluation|grading|judging|judgment|review)\s(?:may|can|should|must)\sbe\s(?:skipped|omitted|bypassed|waived)`,
  String.raw`no\s(?:need|reason)\sto\s(?:re-?)?(?:evaluate|compare|judge|grade|score|check)\s(?:it|this|again|further)`,
]);

/** Choosing the answer itself: "prefer it", "choose this", "rate me". */
const PICK_SELF = concept([
  String.raw`(?:prefer|favou?r|choose|select|pick|rate|score|rank|award|reward)\s(?:it|this|me|us|mine|ours)(?![\p{L}\p{N}])`,
]);

/** Claims that the answer replaces the reference. */
const SUPERSEDES = concept([
  String.raw`(?:supersedes?|replaces?|overrides?|takes\sprecedence\sover|is\sthe\snew|should\sbe\streated\sas\sthe)\s(?:the\s)?(?:official\s)?(?:reference|answer\skey|gold|canonical)`,
  String.raw`(?:reference|answer\skey|official\s(?:answer|solution)s?)(?:\s\p{L}+){0,5}\s(?:has|have|had|was|were)\sbeen\s(?:superseded|replaced|withdrawn|retracted|corrected)`,
  String.raw`(?:the\s)?(?:supplied\s|provided\s|official\s)?reference\s(?:answer\s)?should\sbe\s(?:disregarded|ignored|set\saside)`,
]);

/** A pairwise verdict label: "A>>B", "B = A", "A ≫ B". */
const LABEL = concept([String.raw`(?:^|[:=(\[])\s*[ab]\s?(?:>>|>|=|<<|<|≫|≪)\s?[ab]${END}`]);

/** The grading's product: an output, a result, a judgment. */
const JUDGING_RECORD = concept([
  String.raw`(?:judge|grader|evaluator|evaluation|grading|judging|comparison)\s(?:output|result|decision|verdict|log|record|cache)`,
]);

const CONCEPTS: ReadonlyMap<Concept, RegExp> = new Map([
  ['grader', GRADER],
  ['judge', JUDGE],
  ['self', SELF],
  ['rival', RIVAL],
  ['outcome', OUTCOME],
  ['override', OVERRIDE],
  ['instructions', INSTRUCTIONS],
  ['reference', REFERENCE],
  ['wrong', WRONG],
  ['approval', APPROVAL],
  ['authority', AUTHORITY],
  ['prior-grading', PRIOR_GRADING],
  ['approval-weak', APPROVAL_WEAK],
  ['league', LEAGUE_AUTHORITY],
  ['agreement', AGREEMENT],
  ['approval-lead', APPROVAL_LEAD],
  ['titled-person', TITLED_PERSON],
  ['record', RECORD],
  ['label', LABEL],
  ['judging-record', JUDGING_RECORD],
  ['pick-self', PICK_SELF],
  ['skip-judging', SKIP_JUDGING],
  ['supersedes', SUPERSEDES],
]);

interface Rule {
  readonly kind: AddressKind;
  /** Every concept of one of these sets must be in the sentence. */
  readonly all: readonly (readonly Concept[])[];
  /** Whether the rule still applies when the question is itself about grading or LLM judges. */
  readonly onTopic: boolean;
}

/**
 * Which meetings of concepts only the judging explains. The grader named with anything about the
 * contest; an everyday "judge" only with the answer itself, its rival or an order to set rules aside;
 * the answer with an outcome or its rival; an order to set aside instructions or the reference; an
 * approval by the league's people, or a prior grading, of the answer; the reference called wrong.
 */
const RULES: readonly Rule[] = [
  {
    kind: 'instruction-to-grader',
    all: [
      ['grader', 'outcome'],
      ['grader', 'self'],
      ['grader', 'rival'],
      ['grader', 'override'],
      ['grader', 'instructions'],
      ['grader', 'reference'],
    ],
    onTopic: false,
  },
  {
    kind: 'instruction-to-grader',
    // An answer about judging describes attacks in its own words; only the answer setting itself
    // against its rival with an outcome, in one sentence, is taken as an attempt.
    all: [['self', 'rival', 'outcome']],
    onTopic: true,
  },
  {
    kind: 'instruction-to-grader',
    all: [
      ['judge', 'self'],
      ['judge', 'pick-self'],
      ['grader', 'pick-self'],
      ['judge', 'rival', 'outcome', 'override'],
      ['judge', 'override', 'instructions'],
    ],
    onTopic: false,
  },
  {
    kind: 'instruction-to-grader',
    all: [
      ['self', 'outcome'],
      ['rival', 'outcome'],
      ['skip-judging'],
      ['override', 'instructions'],
      ['override', 'reference'],
    ],
    onTopic: false,
  },
  {
    kind: 'claimed-verification',
    all: [
      ['approval', 'league'],
      ['approval-weak', 'league'],
      ['approval', 'authority', 'self'],
      ['approval', 'self'],
      ['prior-grading', 'self'],
      ['reference', 'wrong'],
      ['approval', 'reference'],
      ['reference', 'agreement'],
      ['supersedes'],
      ['approval-lead', 'authority'],
      ['reference', 'league'],
      ['approval-lead', 'titled-person'],
    ],
    onTopic: false,
  },
  {
    kind: 'claimed-verification',
    all: [
      ['approval', 'league', 'self'],
      ['prior-grading', 'self', 'outcome'],
    ],
    onTopic: true,
  },
  {
    kind: 'fake-judge-output',
    all: [
      ['record'],
      ['label', 'judge'],
      ['label', 'grader'],
      ['label', 'judging-record'],
      ['judging-record', 'self'],
      ['judging-record', 'outcome'],
    ],
    onTopic: false,
  },
];

/** Words that make a question about grading, judging or LLMs: there these concepts are the subject. */
const ON_TOPIC_QUESTION =
  /\b(?:grad(?:er|ers|ing)|(?:the|a|an|as|its|their|your|our|llm|ai|model)[\s-](?:as[\s-]a[\s-])?judges?|judges|judging|judg(?:e)?ments?|verdicts?|rubrics?|evaluators?|marking|mark\s?schemes?|examiners?|llms?|language\smodels?|chatbots?|prompts?|injections?|jailbreaks?|judge-\w+|gpt|claude|ai\s(?:models?|assistants?|systems?|judges?)|red[\s-]team(?:ing)?|court|trial|jury|referee)\b/i;

export function isQuestionAboutGrading(question: string): boolean {
  return (
    ON_TOPIC_QUESTION.test(question) ||
    /评分|评审|評価|採点|채점|평가|提示词|プロンプト|프롬프트/.test(question)
  );
}

/** Text inside quotes, inline code and fenced code: an on-topic answer's examples, not its own words. */
export function withoutQuotedText(text: string): string {
  return text
    .replace(/```[\s\S]*?(?:```|$)/g, ' ')
    .replace(/~~~[\s\S]*?(?:~~~|$)/g, ' ')
    .replace(/`[^`\n]*`/g, ' ')
    .replace(/"[^"\n]{0,400}"|“[^”\n]{0,400}”|«[^»\n]{0,400}»|„[^“”\n]{0,400}[“”]|「[^」\n]{0,400}」/g, ' ')
    .replace(/(?<![\p{L}])'[^'\n]{2,300}'(?![\p{L}])|‘[^’\n]{0,300}’/gu, ' ')
    .replace(/^\s*>.*$/gm, ' ');
}

/**
 * The units a rule reads: each sentence of the prose with lines of one paragraph joined (so an
 * instruction broken over short lines reads whole), and each line on its own (code, tables, lists).
 */
function units(text: string): string[] {
  const out = new Set<string>();
  const add = (piece: string) => {
    for (const sentence of sentences(piece)) {
      const unit = sentence.replace(/[ \t\u00a0]+/g, ' ').trim();
      if (unit.length > 0 && unit.length <= 600) out.add(unit);
    }
  };
  for (const paragraph of text.split(/\n\s*\n/)) {
    add(
      paragraph
        .split('\n')
        .map((line) => line.replace(/^[\s>*#\-+|]+/, '').replace(/\|/g, ' '))
        .join(' '),
    );
  }
  for (const line of text.split('\n')) add(line);
  return [...out];
}

/** Abbreviations a sentence does not end at: titles, initials, "e.g.", "etc.". */
const ABBREVIATION =
  /(?:^|[\s(])(?:\p{Lu}|prof|dr|mr|mrs|ms|st|vs|etc|e\.g|i\.e|cf|fig|no|vol|pp|approx|dept|univ|inc|ltd|jr|sr)\.$/iu;

/** Sentences of a piece of text, split after . ! ? (and their CJK forms), not after abbreviations. */
function sentences(piece: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (const match of piece.matchAll(/[.!?](?=\s)|[。！？]/gu)) {
    const end = match.index + match[0].length;
    if (match[0] === '.' && ABBREVIATION.test(piece.slice(Math.max(start, end - 12), end))) continue;
    out.push(piece.slice(start, end));
    start = end;
  }
  out.push(piece.slice(start));
  return out;
}

/** Words that mark a sentence as describing an attack rather than making one. */
const DESCRIBES_ATTACK = new RegExp(
  String.raw`${START}(?:such\sas|for\sexample|for\sinstance|e\.g\.|an?\sattacker|attackers|malicious|adversar\p{L}*|injected|smuggled)${END}`,
  'u',
);

/**
 * The units, with data read as data: a JSON object or a row of code is not a sentence, but its
 * string values are (a review's text, an "arguments" field), and its keys and values may still make
 * an evaluation record. Without this, words spread over a long JSON object would meet by accident.
 */
function unitsWithData(text: string): string[] {
  return units(text).flatMap((unit) => {
    if (!isData(unit)) return [unit];
    const strings = [...unit.matchAll(/"((?:[^"\\]|\\.){12,})"/g)].map((m) =>
      (m[1] ?? '').replace(/\\"/g, '"'),
    );
    return RECORD.test(unit) ? [unit, ...strings] : strings;
  });
}

/** Mostly punctuation of data and code ({ } : , = ; ( ) [ ] < > "): a JSON object, a row of code. */
function isData(unit: string): boolean {
  const letters = unit.match(/\p{L}/gu)?.length ?? 0;
  const syntax = unit.match(/[{}:,=;()[\]<>"]/g)?.length ?? 0;
  return letters > 0 && syntax / letters > 0.25 && syntax >= 8;
}

const CONDITIONAL = new RegExp(
  String.raw`${START}(?:if|when|whether|unless|suppose|supposing|in\scase|even\sif|si|cuando|quand|wenn|falls|se|als|jeśli|eğer|если|якщо)${END}|如果|假如|もし|만약`,
  'u',
);

/**
 * Words before "ignore" that make it a description, not an order: "models sometimes ignore the
 * system prompt", "attackers who disregard the rules", "it may bypass the filter".
 */
const DESCRIBED_SUBJECT = new RegExp(
  String.raw`${START}you\s(?:can\s|could\s|might\s|may\s|would\s|sometimes\s|often\s|usually\s|then\s)?$|${START}(?:models?|llms?|they|it|he|she|we|systems?|assistants?|attackers?|users?|people|humans?|which|that|who|judges?|graders?|evaluators?|students?|teachers?|courts?|many|some|often|sometimes|may|might|can|could|would|will|cannot|can't|won't|tends?\sto|tried\sto|tries\sto|able\sto|how\sto|not\sto|ways?\sto)\s(?:\p{L}+\s)?$`,
  'u',
);

/** Whether some "ignore/disregard/forget …" in the sentence is said to someone, not about someone. */
function isOrderToOverride(unit: string): boolean {
  const pattern = new RegExp(OVERRIDE.source, 'gu');
  for (const match of unit.matchAll(pattern)) {
    if (!DESCRIBED_SUBJECT.test(unit.slice(Math.max(0, match.index - 40), match.index))) return true;
  }
  return false;
}

/**
 * The first sentence of the (normalised, lower-cased) answer in which concepts meet as a rule says,
 * or undefined. `onTopic`: the question is itself about grading or LLM judges.
 */
export function findGraderAddress(text: string, options: { onTopic: boolean }): GraderAddress | undefined {
  const source = options.onTopic ? withoutQuotedText(text) : text;
  // One pass over the whole text first: the rules that could ever be met, and the concepts they
  // need. Most honest answers meet none, and skip the sentence-by-sentence reading. Concepts
  // anchored at a sentence start cannot be tested on the whole text and are always read.
  const anywhere = new Set<Concept>(ANCHORED);
  for (const [name, pattern] of CONCEPTS) if (!ANCHORED.has(name) && pattern.test(source)) anywhere.add(name);
  const possible = RULES.filter((rule) => !options.onTopic || rule.onTopic).flatMap((rule) =>
    rule.all.filter((set) => set.every((c) => anywhere.has(c))),
  );
  if (possible.length === 0) return undefined;
  const needed = [...CONCEPTS].filter(([name]) => possible.some((set) => set.includes(name)));
  for (const unit of unitsWithData(source)) {
    const present = new Set<Concept>();
    for (const [name, pattern] of needed) if (pattern.test(unit)) present.add(name);
    // "such as a request to the judge to rate this answer higher": an example of an attack, told.
    if (DESCRIBES_ATTACK.test(unit)) {
      present.delete('self');
      present.delete('pick-self');
    }
    if (present.has('override') && !isOrderToOverride(unit)) present.delete('override');
    // "If the reference answer is wrong, …" weighs a possibility; it claims nothing.
    if (present.has('wrong') && CONDITIONAL.test(unit)) present.delete('wrong');
    if (present.size === 0) continue;
    for (const rule of RULES) {
      if (options.onTopic && !rule.onTopic) continue;
      const met = rule.all.find((set) => set.every((c) => present.has(c)));
      if (met) return { kind: rule.kind, sentence: unit, concepts: met.join(' + ') };
    }
  }
  return undefined;
}

/** Concepts whose patterns look at the start of a sentence (`^`, or a label after `:`). */
const ANCHORED: ReadonlySet<Concept> = new Set<Concept>(['approval-lead', 'label']);

/** Concepts that hidden text has no honest reason to contain. */
const JUDGING_CONCEPTS: readonly Concept[] = [
  'grader',
  'judge',
  'rival',
  'outcome',
  'record',
  'label',
  'judging-record',
  'override',
  'instructions',
];

/**
 * For text an answer hid (decoded from an encoding): the first concept of the judging it names, or
 * undefined. Hidden text is never the answer's subject, so one concept is enough.
 */
export function mentionsJudging(text: string): string | undefined {
  for (const unit of units(text)) {
    for (const name of JUDGING_CONCEPTS) if (CONCEPTS.get(name)?.test(unit)) return unit;
    if (CONCEPTS.get('self')?.test(unit) && CONCEPTS.get('outcome')?.test(unit)) return unit;
  }
  return undefined;
}
