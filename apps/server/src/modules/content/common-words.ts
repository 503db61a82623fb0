/**
 * Everyday words that are not stop words but say little about a question's topic (verbs of doing and getting,
 * times, degrees, numbers). When the library does not know such a word, that is weak evidence that the question is off
 * its topics — unlike an unknown noun ("iPhone", "Sauna", "Akne"), which is strong evidence. Folded forms
 * (ae/oe/ue/ss), as text-normalise.ts produces them.
 */
const COMMON: Record<string, ReadonlySet<string>> = {
  de: new Set(
    ('kommen kommt kam kamen komme gehen geht ging gegangen machen macht mache gemacht tun tut getan sagen sagt ' +
      'dauert dauern dauerte passiert passieren klappt klappen funktioniert ' +
      'sagte gesagt sehen sieht sah gesehen geben gibt gab gegeben lassen laesst liess stehen steht stand liegen liegt ' +
      'lag legen bleiben bleibt brauchen brauche braucht finden finde findet wissen weiss denken glaube glauben ' +
      'moechte moechten will wollen willst wuerde wuerden darf duerfen muessen musst sollen kriegen krieg kriege ' +
      'bekommen bekomme bekommt holen hole nehmen nehme nimmt tragen zeigen zeigt helfen hilft halten haelt ' +
      'heute morgen gestern gerade immer nie oft manchmal wieder schon bald spaeter frueh lange lang kurz ' +
      'woche wochen tag tage tagen monat monate jahr jahre jahren stunde stunden minute minuten uhr zeit mal ' +
      'viel viele mehr weniger ganz ganzen ganze sehr etwas nichts alles alle jemand niemand irgendwie irgendwo ' +
      'gut gute guten schlecht neu neue neuen alt gross klein richtig falsch genau wirklich leider trotzdem ' +
      'ueberhaupt vielleicht sicher bestimmt eher lieber statt ohne seit waehrend hin her raus rein drin dran ' +
      'frage fragen problem sache ding dinge zeug leute mensch hier dort da so ' +
      'schicken schickt schickst senden sendet holen hole holt bringen bringt versuchen probieren warten wartet ' +
      'trauen traue traut schaffen schaffe gehoert gehoeren passt passen ' +
      'jede jeder jeden jedes jedem beide beiden andere anderen anderer selbst selber kaum fast nur erst ' +
      'eins zwei drei vier fuenf sechs sieben acht neun zehn zwoelf naechste naechsten naechster naechstes letzte letzten letzter ' +
      'bekannt bekannte einschalten ausschalten anschalten abschalten anmachen ausmachen abstellen').split(' '),
  ),
  en: new Set(
    ('come comes came go goes went gone make makes made say says said see sees saw seen give gives gave given ' +
      'let lets keep keeps kept put puts take takes took taken bring brings brought need needs needed want wants ' +
      'wanted know knows knew think thinks thought find finds found look looks looked tell tells told try tries ' +
      'today tomorrow yesterday now still again always never often sometimes soon later early late long short ' +
      'week weeks day days month months year years hour hours minute minutes time times ago next last ' +
      'much many more less lot lots very quite something nothing everything someone anyone anything ' +
      'good bad new old big small right wrong exactly really instead without since while through out into ' +
      'question questions problem thing things stuff people person way ok okay sure maybe ' +
      'send sends sent fetch pick picked bring try tried wait waits dare safe safely ' +
      'each every both other others own myself yourself almost only halfway ' +
      'one two three four five six seven eight nine ten twelve known switch turn').split(' '),
  ),
};

/** Whether a folded word is an everyday word of the language (see the module comment). */
export function isCommonWord(word: string, language: string): boolean {
  // A number the library does not use ("5 Tage", "14") says as little about the topic as "fünf".
  return (COMMON[language]?.has(word) ?? false) || /^\d+$/.test(word);
}
