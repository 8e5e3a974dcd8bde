// A BAS chart for a small aktiebolag: realistic names (å/ä/ö on purpose, to catch encoding bugs) and INK2
// SRU codes. Fortnox keeps one chart per financial year; the sandbox uses the same chart for both years.
export interface ChartAccount {
  number: number;
  name: string;
  sru: number;
  vatCode: string;
  active: boolean;
}

const INACTIVE = new Set([5220, 6991]); // inactive accounts, to test "Konto XXXX är inte aktivt"

const VAT: Record<number, string> = {
  3001: "MP1", 3002: "MP2", 3003: "MP3", 3041: "MP1", 3308: "VU", 2610: "U1", 2620: "U2", 2614: "UEU",
  2640: "I", 2641: "I", 2645: "IEU", 4010: "I", 4515: "IEU", 6540: "I",
};

// number;name;SRU
const RAW = `
1010;Utvecklingsutgifter;7201
1019;Ackumulerade avskrivningar på utvecklingsutgifter;7201
1030;Patent;7202
1039;Ackumulerade avskrivningar på patent;7202
1110;Byggnader;7214
1119;Ackumulerade avskrivningar på byggnader;7214
1130;Mark;7214
1210;Maskiner och andra tekniska anläggningar;7215
1219;Ackumulerade avskrivningar på maskiner och andra tekniska anläggningar;7215
1220;Inventarier och verktyg;7215
1229;Ackumulerade avskrivningar på inventarier och verktyg;7215
1240;Bilar och andra transportmedel;7215
1249;Ackumulerade avskrivningar på bilar och andra transportmedel;7215
1250;Datorer;7215
1259;Ackumulerade avskrivningar på datorer;7215
1310;Andelar i koncernföretag;7230
1380;Andra långfristiga fordringar;7235
1384;Fordringar hos anställda;7235
1410;Lager av råvaror;7241
1460;Lager av handelsvaror;7243
1470;Pågående arbeten;7242
1510;Kundfordringar;7251
1515;Osäkra kundfordringar;7251
1519;Nedskrivning av kundfordringar;7251
1610;Kortfristiga fordringar hos anställda;7261
1630;Avräkning för skatter och avgifter (skattekonto);7261
1640;Skattefordringar;7261
1650;Momsfordran;7261
1680;Andra kortfristiga fordringar;7261
1710;Förutbetalda hyreskostnader;7263
1720;Förutbetalda leasingavgifter;7263
1730;Förutbetalda försäkringspremier;7263
1790;Övriga förutbetalda kostnader och upplupna intäkter;7263
1810;Andelar i börsnoterade företag;7271
1910;Kassa;7281
1920;PlusGiro;7281
1930;Företagskonto/checkkonto/affärskonto;7281
1940;Övriga bankkonton;7281
1950;Bankcertifikat;7281
2081;Aktiekapital;7301
2085;Uppskrivningsfond;7301
2086;Reservfond;7301
2091;Balanserad vinst eller förlust;7302
2093;Erhållna aktieägartillskott;7302
2098;Vinst eller förlust från föregående år;7302
2099;Årets resultat;7302
2110;Periodiseringsfonder vid 2010 års taxering;7321
2150;Ackumulerade överavskrivningar;7322
2220;Avsättningar för garantier;7333
2330;Checkräkningskredit;7360
2350;Andra långfristiga skulder till kreditinstitut;7351
2393;Lån från närstående personer, långfristig del;7354
2410;Andra kortfristiga låneskulder till kreditinstitut;7360
2420;Förskott från kunder;7366
2440;Leverantörsskulder;7365
2510;Skatteskulder;7368
2512;Beräknad inkomstskatt;7368
2518;Betald F-skatt;7368
2610;Utgående moms, 25 %;7369
2611;Utgående moms på försäljning inom Sverige, 25 %;7369
2614;Utgående moms omvänd skattskyldighet, 25 %;7369
2620;Utgående moms, 12 %;7369
2621;Utgående moms på försäljning inom Sverige, 12 %;7369
2630;Utgående moms, 6 %;7369
2640;Ingående moms;7369
2641;Debiterad ingående moms;7369
2645;Beräknad ingående moms på förvärv från utlandet;7369
2650;Redovisningskonto för moms;7369
2710;Personalskatt;7369
2731;Avräkning lagstadgade sociala avgifter;7369
2732;Avräkning särskild löneskatt;7369
2790;Övriga löneavdrag;7369
2820;Kortfristiga skulder till anställda;7369
2890;Övriga kortfristiga skulder;7369
2893;Skulder till närstående personer, kortfristig del;7369
2910;Upplupna löner;7370
2920;Upplupna semesterlöner;7370
2940;Upplupna lagstadgade sociala och andra avgifter;7370
2941;Beräknade upplupna lagstadgade sociala avgifter;7370
2960;Upplupna räntekostnader;7370
2990;Övriga upplupna kostnader och förutbetalda intäkter;7370
2991;Upplupna revisionsarvoden;7370
3001;Försäljning inom Sverige, 25 % moms;7410
3002;Försäljning inom Sverige, 12 % moms;7410
3003;Försäljning inom Sverige, 6 % moms;7410
3004;Försäljning inom Sverige, momsfri;7410
3041;Försäljning tjänster inom Sverige, 25 % moms;7410
3105;Försäljning varor till land utanför EU;7410
3106;Försäljning varor till annat EU-land, momsfri;7410
3308;Försäljning tjänster till annat EU-land;7410
3540;Faktureringsavgifter;7410
3590;Övriga sidointäkter;7410
3740;Öres- och kronutjämning;7410
3910;Hyres- och arrendeintäkter;7413
3960;Valutakursvinster på fordringar och skulder av rörelsekaraktär;7413
3970;Vinst vid avyttring av immateriella och materiella anläggningstillgångar;7413
3990;Övriga ersättningar och intäkter;7413
4010;Inköp material och varor;7511
4515;Inköp av varor från annat EU-land, 25 %;7511
4531;Import tjänster land utanför EU, 25 % moms;7511
4600;Legoarbeten och underentreprenader;7511
4960;Förändring av lager av handelsvaror;7511
5010;Lokalhyra;7513
5020;El för belysning;7513
5060;Städning och renhållning;7513
5090;Övriga lokalkostnader;7513
5220;Hyra av inventarier och verktyg;7513
5410;Förbrukningsinventarier;7513
5420;Programvaror;7513
5460;Förbrukningsmaterial;7513
5500;Reparation och underhåll;7513
5611;Drivmedel för personbilar;7513
5615;Leasing av personbilar;7513
5800;Resekostnader;7513
5831;Kost och logi i Sverige;7513
5910;Annonsering;7513
5930;Reklamtrycksaker och direktreklam;7513
6071;Representation, avdragsgill;7513
6072;Representation, ej avdragsgill;7513
6110;Kontorsmateriel;7513
6211;Fast telefoni;7513
6212;Mobiltelefon;7513
6230;Datakommunikation;7513
6250;Postbefordran;7513
6310;Företagsförsäkringar;7513
6420;Ersättningar till revisor;7513
6530;Redovisningstjänster;7513
6540;IT-tjänster;7513
6550;Konsultarvoden;7513
6570;Bankkostnader;7513
6590;Övriga externa tjänster;7513
6970;Tidningar, tidskrifter och facklitteratur;7513
6981;Föreningsavgifter, avdragsgilla;7513
6991;Övriga externa kostnader, avdragsgilla;7513
6992;Övriga externa kostnader, ej avdragsgilla;7513
7010;Löner till kollektivanställda;7514
7210;Löner till tjänstemän;7514
7220;Löner till företagsledare;7514
7285;Arvoden till styrelseledamöter;7514
7290;Förändring av semesterlöneskuld;7514
7331;Skattefria bilersättningar;7514
7385;Kostnader för fri bil;7514
7410;Pensionsförsäkringspremier;7514
7510;Arbetsgivaravgifter 31,42 %;7514
7530;Särskild löneskatt;7514
7570;Premier för arbetsmarknadsförsäkringar;7514
7610;Utbildning;7514
7631;Personalrepresentation, avdragsgill;7514
7690;Övriga personalkostnader;7514
7810;Avskrivningar på immateriella anläggningstillgångar;7515
7820;Avskrivningar på byggnader och markanläggningar;7515
7832;Avskrivningar på inventarier och verktyg;7515
7834;Avskrivningar på bilar och andra transportmedel;7515
7835;Avskrivningar på datorer;7515
7960;Valutakursförluster på fordringar och skulder av rörelsekaraktär;7517
7970;Förlust vid avyttring av immateriella och materiella anläggningstillgångar;7517
8010;Utdelning på andelar i koncernföretag;7414
8310;Ränteintäkter från omsättningstillgångar;7416
8314;Skattefria ränteintäkter;7416
8390;Övriga finansiella intäkter;7416
8410;Räntekostnader för långfristiga skulder;7522
8420;Räntekostnader för kortfristiga skulder;7522
8423;Kostnadsränta för skatter och avgifter;7522
8490;Övriga skuldräntor;7522
8811;Avsättning till periodiseringsfond;7525
8819;Återföring från periodiseringsfond;7420
8850;Förändring av överavskrivningar;7526
8910;Skatt som belastar årets resultat;7528
8999;Årets resultat;7450
`;

export const CHART: readonly ChartAccount[] = RAW.trim()
  .split("\n")
  .map((line) => {
    const [num, name, sru] = line.split(";");
    const number = Number(num);
    return { number, name, sru: Number(sru), vatCode: VAT[number] ?? "", active: !INACTIVE.has(number) };
  });

/**
 * A periodiseringsfond account as BAS 2025 numbers it (212d for the year ending in d) and names it for its year.
 * The generator adds the ones its years need, so the names stay true whatever year the sandbox's clock says.
 */
export function fundAccount(year: number): ChartAccount {
  return { number: 2120 + (year % 10), name: `Periodiseringsfond ${year}`, sru: 7321, vatCode: "", active: true };
}

/** SIE account type: T asset, S liability/equity, I income, K cost. */
export function accountType(n: number): "T" | "S" | "I" | "K" {
  if (n < 2000) return "T";
  if (n < 3000) return "S";
  if (n < 4000) return "I";
  if (n >= 8000 && n < 8400 && n !== 8999) return "I";
  return "K";
}

export function isBalanceAccount(n: number): boolean {
  return n < 3000;
}
