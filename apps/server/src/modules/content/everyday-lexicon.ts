/**
 * Parley's built-in everyday-language lexicon: groups of words that people use interchangeably when they write to a
 * patient or customer service (colloquial ↔ standard, lay ↔ clinical, British ↔ American), in German and English.
 * A content team writes "Kopfschmerzen", "Injektion", "verschieben"; people write "Kopfweh", "Pieks", "umlegen".
 * The matcher uses these groups as query expansion with reduced weight (answer-matcher.ts): a question word may
 * stand for another word of its group, but less surely than the word itself. Written from general language, not
 * from any one library: it must make sense for every organisation's content. A group holds words that mean the
 * same thing, not words that are merely related ("Leber" is not "Leberfunktion", "airport" is not "flight"): a
 * related word would let a question about one thing answer with an item about another. One group per line, words
 * separated by commas; single words only (the matcher compares words). Words are folded and stemmed when loaded, so an
 * inflected form need not be listed — but a word whose stem is another word's ("nursing" → nurs, like "nurse")
 * joins that word's meaning too, so it is left out.
 */
import { toTerm, words } from './text-normalise.js';

const GROUPS: Record<string, string> = {
  de: `
kopfweh, kopfschmerz, kopfschmerzen, brummschädel
bauchweh, bauchschmerzen, bauchschmerz, magenschmerzen, bauchgrimmen
zahnweh, zahnschmerzen
halsweh, halsschmerzen, halskratzen
ohrenweh, ohrenschmerzen
rückenweh, rückenschmerzen, kreuzschmerzen
gliederschmerzen, gliederschmerz, muskelschmerzen
schmerz, schmerzen, weh, wehtun, schmerzhaft, aua
pieks, piks, piekser, spritze, injektion
piksen, pieksen, spritzen, injizieren
doc, doktor, arzt, ärztin, hausarzt, hausärztin, mediziner
facharzt, fachärztin, spezialist
hautarzt, hautärztin, dermatologe, dermatologin
frauenarzt, frauenärztin, gynäkologe, gynäkologin
kinderarzt, kinderärztin
pille, tablette, tabletten, pillen
medikament, arznei, arzneimittel, medizin, präparat
beipackzettel, packungsbeilage, gebrauchsinformation, waschzettel
nebenwirkung, nebenwirkungen, begleiterscheinung, nebeneffekt
juckreiz, jucken, juckt, kribbeln
ausschlag, hautausschlag, quaddeln, nesselsucht, pusteln
übelkeit, übel, brechreiz, flau
erbrechen, kotzen, übergeben, spucken
schwindel, schwindlig, schwindelig, duselig, benommen
müdigkeit, müde, erschöpft, erschöpfung, schlapp, abgeschlagen
fieber, fiebrig, fieberhaft
erkältung, erkältet, schnupfen, infekt
durchfall, dünnpfiff, diarrhö
verstopfung, verstopft
schwanger, schwangerschaft
stillen, stillzeit, muttermilch, stillend
kühlung, kühlen, gekühlt
gefrierfach, eisfach, tiefkühlfach, gefrierschrank, tiefkühler, tiefkühltruhe
einfrieren, gefroren, eingefroren, frost, gefrieren
kühlbox, kühltasche, kühlakku, kühlpack
urlaub, ferien, reise, verreisen, reisen, trip
fliegen, flug, flugzeug, flieger
koffer, gepäck, handgepäck, reisegepäck
ausland, auslandsreise, übersee
müll, abfall, mülleimer, restmüll, mülltonne, tonne
entsorgen, wegwerfen, wegschmeißen, schmeißen, wegschmeissen
kaputt, defekt, beschädigt, klemmt, hakt, blockiert, funktionsstörung
rezept, verordnung, verschreibung, kassenrezept
verschreiben, verordnen, aufschreiben
folgerezept, wiederholungsrezept, nachfolgerezept, rezeptverlängerung
apotheke, apotheker, apothekerin, versandapotheke, onlineapotheke
krankenkasse, krankenversicherung, kasse, gkv, versicherung
privatversichert, privatpatient, pkv, privatversicherung
kosten, preis, gebühr, gebühren, kostenpunkt
bezahlen, zahlen, blechen, berappen, begleichen
zuzahlung, eigenanteil, selbstbeteiligung, dazuzahlen, zuzahlen
erstattung, erstatten, rückerstattung, zurückbekommen, rückzahlung
quittung, beleg, rechnung, kassenbon, kassenzettel
kostenlos, gratis, umsonst, kostenfrei, unentgeltlich
termin, verabredung, besuchstermin, terminvereinbarung
absagen, stornieren, canceln, abblasen, ausfallen
verschieben, verlegen, umlegen, umbuchen, vertagen
ändern, abändern, umstellen, wechseln
krankenschwester, pflegekraft, pflegefachkraft, schwester, pfleger, pflegerin, krankenpfleger, krankenpflegerin
hausbesuch, besuch, vorbeikommen
schulung, einweisung, unterweisung, training, einführung, kurs
anleitung, gebrauchsanweisung, gebrauchsanleitung, bedienungsanleitung, beschreibung
zeigen, vormachen, beibringen, erklären
broschüre, heft, heftchen, flyer, prospekt, infomaterial, infoblatt, informationsmaterial, merkblatt, faltblatt
gedruckt, ausgedruckt, papierform, druckversion, papier
zuschicken, zusenden, schicken, senden, verschicken, postalisch
post, briefpost, brief
bestellen, anfordern, ordern
video, film, clip, filmchen, erklärvideo
studie, studien, forschung, prüfung
teilnehmen, mitmachen, teilnahme, beteiligen, teilnehmer
proband, probandin, studienteilnehmer, versuchsperson
löschen, entfernen, wegmachen, tilgen
abmelden, austragen, abbestellen, kündigen, abmeldung
anmelden, registrieren, einschreiben, anmeldung, beitreten
hilfe, unterstützung, support, beistand
mensch, person, mitarbeiter, mitarbeiterin, berater, beraterin, ansprechpartner, ansprechpartnerin
anrufen, telefonieren, durchklingeln, anklingeln
rückruf, zurückrufen
handy, telefon, mobiltelefon, smartphone
telefonnummer, rufnummer, handynummer, nummer
email, mail, emailadresse, mailadresse
chatbot, bot, roboter
erinnerung, reminder, wecker, benachrichtigung
erinnern, dranerinnern
tagebuch, protokoll, logbuch, symptomtagebuch
notieren, aufschreiben, dokumentieren, festhalten, eintragen, protokollieren
hautbild, hautzustand
ekzem, neurodermitis, dermatitis
schub, schübe, aufflackern, verschlimmerung, verschlechterung, rückfall
rötung, gerötet, rot, röte
schwellung, geschwollen, schwellen, anschwellen, angeschwollen, schwillt
beule, knubbel, knoten, verhärtung, verhärtet, hubbel
bluterguss, hämatom
blutung, bluten, blutet
atemnot, luftnot, kurzatmig, kurzatmigkeit, atembeschwerden
allergie, allergisch, überempfindlichkeit
notfall, notarzt, rettungswagen, krankenwagen, notaufnahme, rettungsdienst
bindehautentzündung, konjunktivitis
impfung, impfen, schutzimpfung, impfstoff, auffrischung, auffrischimpfung, booster
grippe, influenza
corona, covid, coronavirus
jugendliche, jugendlicher, teenager, teenie, minderjährig, heranwachsende
kind, kinder, nachwuchs
alkohol, bier, wein, schnaps
essen, nahrung, mahlzeit, mahlzeiten
lagern, lagerung, aufbewahren, aufbewahrung, verstauen
haltbar, haltbarkeit, verfallsdatum, ablaufdatum, mindesthaltbarkeit, abgelaufen, verfallen
raumtemperatur, zimmertemperatur, ungekühlt
wärme, hitze, heiß, warm
kälte, kalt
wirkung, wirksamkeit, effekt
wirkt, wirken, anschlagen
dosis, dosierung, dosen
vergessen, verpasst, verpassen, verschwitzt, versäumt, ausgelassen, verbummelt
arzttermin, arztbesuch, sprechstunde, kontrolltermin, praxisbesuch
blutwerte, laborwerte
blutabnahme, blutentnahme
niereninsuffizienz, nierenschwäche, nierenfunktionsstörung
leberinsuffizienz, leberschwäche, leberfunktionsstörung
wechselwirkung, wechselwirkungen, interaktion, interaktionen
datenschutz, privatsphäre
öffnungszeiten, sprechzeiten, servicezeiten, erreichbarkeit, geschäftszeiten
stopp, stop, aufhören
einschalten, aktivieren, anschalten, anmachen
ausschalten, deaktivieren, abschalten, ausmachen, abstellen
pen, fertigpen, autoinjektor, injektor, injektionsstift
nadel, kanüle
kappe, deckel, schutzkappe
`,
  en: `
tummy, stomach, belly, abdomen, tum
headache, headaches
stomachache, bellyache, tummyache
pain, painful, hurt, hurts, ache, aches, aching, sore
jab, shot, injection, jabs, shots
inject, injecting
doc, doctor, gp, physician, dr, medic
dermatologist, derm, skin doctor
specialist, consultant
pill, pills, tablet, tablets
medication, medicine, meds, drug, drugs
leaflet, insert, pil
itchy, itch, itching, itchiness
rash, hives, spots, breakout
nausea, nauseous, queasy
vomit, vomiting, puke, puking, barf
dizzy, dizziness, lightheaded, woozy, vertigo
tired, tiredness, fatigue, fatigued, exhausted, exhaustion, drowsy, sleepy, knackered
fever, feverish, febrile
flu, influenza, grippe
diarrhoea, diarrhea, runs
constipation, constipated
pregnant, pregnancy, expecting
breastfeeding, breastfeed, lactation, lactating
fridge, refrigerator, refrigerate, refrigerated, refrigeration
freezer, frozen, freeze, freezing, icebox
coolbag, cooler, icepack
holiday, holidays, vacation, trip, travel, travelling, traveling, abroad, journey
fly, flight, flights, plane, airplane, aeroplane, flying
luggage, baggage, suitcase
bin, trash, rubbish, garbage, waste
dispose, discard, chuck, toss, ditch
broken, faulty, defective, jammed, stuck, malfunction, malfunctioning, damaged, jam
prescription, script, rx, prescriptions
prescribe, prescribed, prescribing
refill, renewal, repeat
pharmacy, chemist, chemists, drugstore, pharmacist
insurance, insurer, insured, coverage
cost, costs, price, fee, fees, charge
pay, paying, payment
copay, copayment, deductible, excess
reimburse, reimbursement, refund, refunded, reimbursed
receipt, invoice, bill
free, complimentary, gratis
appointment, appt, booking
cancel, cancellation, call off
reschedule, postpone, rearrange, rebook, move
change, switch, alter
nurse, nurses, carer, caregiver
visit, homevisit
training, coaching, tutorial, lesson, demonstration, demo
instructions, guide, manual, directions, howto
show, teach, demonstrate, explain
brochure, booklet, pamphlet, flyer, handout
printed, paper, print, hardcopy
post, mail, posted, mailed
order, reorder
video, clip, film, movie
study, studies, trial, trials, research
participate, participation, join, enrol, enroll, enrolment, volunteer
delete, erase, remove, wipe, deletion
unsubscribe, optout, deregister
enable, activate
disable, deactivate
register, signup, subscribe
help, support, assistance
human, person, agent, staff, representative, rep, operator
call, phone, ring, telephone, dial
callback, ringback
mobile, cell, cellphone, smartphone
email, e-mail
bot, chatbot, robot
reminder, reminders, remind, alert, notification, notify, nudge
diary, journal, log, logbook, tracker
record, track, note, jot
skin, complexion
eczema, dermatitis, atopic
flare, flareup, relapse, worsening
redness, red, reddened
swelling, swollen, swell, swells, puffy
lump, bump, knot, nodule
bruise, bruising, hematoma, haematoma
bleed, bleeding, bled
breathless, breathlessness, wheeze, wheezing, breathing
allergy, allergic, anaphylaxis, anaphylactic, hypersensitivity
emergency, ambulance, urgent
conjunctivitis, pinkeye
vaccine, vaccination, vaccinate, vaccinated, immunisation, immunization, inoculation, booster
covid, corona, coronavirus
child, children, kid, kids
teen, teenager, teenagers, adolescent, adolescents, teens, minor, youth
alcohol, drinking, booze, beer, wine
food, meal, meals, eating
store, storage, stored, storing
expiry, expiration, expire, expired, expires
heat, hot, warm
effective, efficacy, effectiveness
dose, dosage, dosing
missed, forgot, forget, forgotten, skipped, skip
kidney, kidneys, renal
liver, hepatic
interaction, interact, interactions
privacy, confidential, confidentiality
pen, autoinjector, injector
needle, needles, sharps
cap, lid
`,
};

/** For each language: a folded word's stem → the other words of its groups (folded). */
const lexicons = new Map<string, Map<string, string[]>>();

function lexicon(language: string): Map<string, string[]> {
  let byStem = lexicons.get(language);
  if (byStem) {
    return byStem;
  }
  byStem = new Map();
  for (const line of (GROUPS[language] ?? '').split('\n')) {
    const group = line
      .split(',')
      .map((w) => words(w).join(''))
      .filter(Boolean);
    for (const word of group) {
      const stem = toTerm(word, language);
      if (!stem) {
        continue;
      }
      const others = byStem.get(stem) ?? [];
      for (const other of group) {
        if (toTerm(other, language) !== stem && !others.includes(other)) {
          others.push(other);
        }
      }
      byStem.set(stem, others);
    }
  }
  lexicons.set(language, byStem);
  return byStem;
}

/**
 * The everyday-language equivalents of a folded word (folded words, not including the word's own stem), or an
 * empty list.
 *
 * @example everydayEquivalents('kopfweh', 'de') // ['kopfschmerz', 'kopfschmerzen', 'brummschaedel']
 */
export function everydayEquivalents(word: string, language: string): readonly string[] {
  const stem = toTerm(word, language);
  return stem ? (lexicon(language).get(stem) ?? []) : [];
}
