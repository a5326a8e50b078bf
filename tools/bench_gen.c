/*
 * Deterministic BACI-format and Comtrade Plus files for `make bench`: about 250 countries,
 * 5,000 HS6 codes, skewed (Pareto-like) values, 2% NA quantities, sorted by t,i,j,k as BACI
 * ships them. Country codes come from a file (one BACI code per line) so they all resolve.
 * Usage: bench_gen baci ROWS YEAR CODES_FILE [PRODUCTS_FILE] > out.csv
 *        bench_gen comtrade ROWS YEAR CODES_FILE > out.csv   (CODES_FILE: comtrade code,ISO3)
 * PRODUCTS_FILE: six-digit HS codes, one per line in ascending order (a real nomenclature, for
 * the release make bench zips); without it, 5,000 evenly spread synthetic codes.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint64_t next(void)
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return rng;
}

static double uniform(void)
{
    return (double)(next() >> 11) / 9007199254740992.0;
}

static int load_codes(const char *path, char codes[][16], char iso[][8], int max)
{
    FILE *f = fopen(path, "r");
    int n = 0;
    char line[64];
    if (!f)
        return -1;
    while (n < max && fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\r\n")] = '\0';
        char *comma = strchr(line, ',');
        if (comma) {
            *comma = '\0';
            snprintf(iso[n], 8, "%s", comma + 1);
        } else {
            iso[n][0] = '\0';
        }
        if (*line && strlen(line) < 16)   /* codes are a few digits; a longer line is no code */
            memcpy(codes[n++], line, strlen(line) + 1);
    }
    fclose(f);
    return n;
}

enum { NPROD_MAX = 8000 };

/* The product codes: from PATH (six digits per line, ascending), else 5,000 synthetic ones. */
static int load_products(const char *path, int *prods)
{
    if (!path) {
        for (int k = 0; k < 5000; k++)   /* distinct six-digit codes in ascending order */
            prods[k] = 10100 + k * 193;
        return 5000;
    }
    FILE *f = fopen(path, "r");
    int n = 0;
    char line[64];
    if (!f)
        return -1;
    while (n < NPROD_MAX && fgets(line, sizeof(line), f)) {
        int code = atoi(line);
        if (code > 0 && (n == 0 || code > prods[n - 1]))
            prods[n++] = code;
    }
    fclose(f);
    return n;
}

int main(int argc, char **argv)
{
    static char codes[400][16], iso[400][8];
    if (argc != 5 && argc != 6) {
        fprintf(stderr, "usage: bench_gen baci|comtrade ROWS YEAR CODES_FILE [PRODUCTS_FILE]\n");
        return 2;
    }
    int comtrade = strcmp(argv[1], "comtrade") == 0;
    long rows = atol(argv[2]);
    int year = atoi(argv[3]);
    int nc = load_codes(argv[4], codes, iso, 250);
    if (nc < 10) {
        fprintf(stderr, "bench_gen: need at least 10 country codes in %s\n", argv[4]);
        return 1;
    }
    static int prods[NPROD_MAX];
    const int NPROD = load_products(argc == 6 ? argv[5] : NULL, prods);
    if (NPROD < 100) {
        fprintf(stderr, "bench_gen: need at least 100 product codes in %s\n", argv[5]);
        return 1;
    }
    long pairs = (long)nc * (nc - 1);
    double per_pair = (double)rows / (double)pairs;
    long written = 0;
    if (comtrade)
        puts("typeCode,freqCode,refPeriodId,refYear,refMonth,period,reporterCode,reporterISO,"
             "reporterDesc,flowCode,flowDesc,partnerCode,partnerISO,partnerDesc,partner2Code,"
             "partner2ISO,partner2Desc,classificationCode,classificationSearchCode,"
             "isOriginalClassification,cmdCode,cmdDesc,aggrLevel,isLeaf,customsCode,customsDesc,"
             "mosCode,motCode,motDesc,qtyUnitCode,qtyUnitAbbr,qty,isQtyEstimated,altQtyUnitCode,"
             "altQtyUnitAbbr,altQty,isAltQtyEstimated,netWgt,isNetWgtEstimated,grossWgt,"
             "isGrossWgtEstimated,cifvalue,fobvalue,primaryValue,legacyEstimationFlag,isReported,"
             "isAggregate");
    else
        puts("t,i,j,k,v,q");
    for (int i = 0; i < nc && written < rows; i++) {
        for (int j = 0; j < nc && written < rows; j++) {
            if (i == j)
                continue;
            long left_pairs = pairs - ((long)i * (nc - 1) + (j > i ? j - 1 : j));
            double want = (double)(rows - written) / (double)(left_pairs > 0 ? left_pairs : 1);
            (void)per_pair;
            int n = (int)(want * (0.5 + uniform()) + 0.5);
            if (n > NPROD)
                n = NPROD;
            if (n > rows - written)
                n = (int)(rows - written);
            /* n distinct products in ascending order: a random start and stride */
            int start = (int)(next() % NPROD), stride = 1 + (int)(next() % 3);
            int picked = 0;
            static unsigned char used[NPROD_MAX];
            memset(used, 0, sizeof(used));
            for (int t = 0; picked < n && t < NPROD * 3; t++) {
                int k = (start + t * stride) % NPROD;
                if (!used[k])
                    used[k] = 1, picked++;
            }
            for (int k = 0; k < NPROD; k++) {
                if (!used[k])
                    continue;
                double v = 0.001 * floor(1000.0 * 1.5 / pow(uniform() + 1e-9, 1.1));
                if (v < 0.001)
                    v = 0.001;
                if (comtrade) {
                    long usd = (long)(v * 1000.0);
                    printf("\"C\",\"A\",\"%d0101\",\"%d\",\"52\",\"%d\",\"%s\",\"%s\",\"Name\","
                           "\"X\",\"Export\",\"%s\",\"%s\",\"Name\",\"0\",\"W00\",\"World\","
                           "\"H5\",\"HS\",\"true\",\"%06d\",\"Product\",\"6\",\"true\",\"C00\","
                           "\"TOTAL CPC\",\"0\",\"0\",\"TOTAL MOT\",\"8\",\"kg\",\"%ld\",\"false\","
                           "\"-1\",\"N/A\",\"0\",\"false\",\"%ld\",\"false\",\"0\",\"false\",,"
                           "\"%ld\",\"%ld\",\"0\",\"false\",\"false\",\n",
                           year, year, year, codes[i], iso[i], codes[j], iso[j], prods[k],
                           usd / 3, usd / 3, usd, usd);
                } else if (uniform() < 0.02) {
                    printf("%d,%s,%s,%06d,%.3f,NA\n", year, codes[i], codes[j], prods[k], v);
                } else {
                    printf("%d,%s,%s,%06d,%.3f,%.3f\n", year, codes[i], codes[j], prods[k], v,
                           v * (0.1 + uniform()));
                }
                written++;
            }
        }
    }
    return 0;
}
