"""Writes phone_reference.tsv: how libphonenumber reads numbers, for `phone_reference.rs`.

The reference is `phonenumbers`, the Python port of Google's libphonenumber, at the release
whose metadata the `phonenumber` crate carries (9.0.33). Regenerate after upgrading the crate:

    pip install phonenumbers==9.0.33   # the crate's "+9.0.33" suffix
    python3 shared/tests/phone_reference.py > shared/tests/phone_reference.tsv

Each line: site country, input, then either `+E164 kind region extension` or
`error reason` (reason: invalid, too_short, too_long). Inputs are every region's example
numbers of every type, spelled as visitors spell them (E.164, international with spaces,
with the site country's international prefix, national with and without the national
prefix), and the same numbers broken as visitors break them (a digit more, a digit less,
the national prefix twice, the national prefix after the country code), with extensions in
every spelling, typed on sites of the countries Ringback's customers serve.
"""

import random
import sys

import phonenumbers as pn
from phonenumbers import PhoneNumberFormat as F
from phonenumbers import PhoneNumberType as T
from phonenumbers import ValidationResult as V

assert pn.__version__ == "9.0.33", pn.__version__

SITES = ["RU", "KZ", "BY", "UA", "US", "DE", "TR", "GB", "UZ", "AM", "GE", "FR", "IN", "BR",
         "AR", "MX", "IT", "CN", "AZ", "KG", "IL", "AE", "PL", "ES"]
TYPES = [T.FIXED_LINE, T.MOBILE, T.TOLL_FREE, T.PREMIUM_RATE, T.SHARED_COST, T.VOIP,
         T.PERSONAL_NUMBER, T.PAGER, T.UAN, T.VOICEMAIL]
KINDS = {T.FIXED_LINE: "fixed_line", T.MOBILE: "mobile", T.FIXED_LINE_OR_MOBILE:
         "fixed_line_or_mobile", T.TOLL_FREE: "toll_free", T.PREMIUM_RATE: "premium_rate",
         T.SHARED_COST: "shared_cost", T.VOIP: "voip", T.PERSONAL_NUMBER: "personal_number",
         T.PAGER: "pager", T.UAN: "uan", T.VOICEMAIL: "voicemail"}
EXTENSIONS = [" ext. 12", " доб. 123", " x12", " #12", ",,45", " ext 7", " Доб 55",
              ";ext=901", " extension 3", " x 1234"]


def reference(site, text):
    """What libphonenumber makes of `text` typed on a site of country `site`."""
    try:
        n = pn.parse(text, site)
    except pn.NumberParseException as e:
        reason = {pn.NumberParseException.TOO_SHORT_NSN: "too_short",
                  pn.NumberParseException.TOO_SHORT_AFTER_IDD: "too_short",
                  pn.NumberParseException.TOO_LONG: "too_long"}.get(e.error_type, "invalid")
        return "error\t" + reason
    if not pn.is_valid_number(n):
        why = pn.is_possible_number_with_reason(n)
        reason = {V.TOO_SHORT: "too_short", V.TOO_LONG: "too_long"}.get(why, "invalid")
        return "error\t" + reason
    e164 = pn.format_number(n, F.E164)
    kind = KINDS[pn.number_type(n)]
    region = pn.region_code_for_number(n)
    return "\t".join([e164, kind, region, n.extension or "-"])


def spellings(rng, region, number):
    """How visitors on each site type this number, right and wrong."""
    cc = str(number.country_code)
    nsn = pn.national_significant_number(number)
    meta = pn.PhoneMetadata.metadata_for_region(region)
    prefix = meta.national_prefix if meta is not None else None
    intl = pn.format_number(number, F.INTERNATIONAL)
    national = pn.format_number(number, F.NATIONAL)
    out = []
    # A site of the countries the defects were found on, and one more.
    for site in {rng.choice(["RU", "KZ", "BY", "US"]), rng.choice(SITES)}:
        typed = [intl, intl + rng.choice(EXTENSIONS), intl + str(rng.randrange(10)),
                 "+" + cc + nsn[:-1]]
        idd = pn.PhoneMetadata.metadata_for_region(site).preferred_international_prefix
        if idd is None:
            idd = pn.PhoneMetadata.metadata_for_region(site).international_prefix
        if idd is not None and idd.isdigit():
            typed.append(idd + " " + cc + " " + nsn)
        out.append((site, "+" + cc + nsn))
        out.extend((site, t) for t in rng.sample(typed, 3))
    # National spellings belong to the number's own country (and those sharing its code).
    home = region if region in SITES else None
    for site in [s for s in SITES if pn.country_code_for_region(s) == number.country_code]:
        home = site
        typed = [nsn, national + rng.choice(EXTENSIONS), national + str(rng.randrange(10)),
                 cc + nsn]
        if prefix:
            typed += [prefix + prefix + nsn, "+" + cc + " " + prefix + " " + nsn,
                      prefix + " " + nsn[:-1]]
        out.append((site, national))
        out.extend((site, t) for t in rng.sample(typed, min(4, len(typed))))
    if home is None and prefix:
        out.append((rng.choice(SITES), "+" + cc + " (" + prefix + ") " + nsn))
    return out


def main():
    rng = random.Random(20261202)
    rows = []
    # The defects issue 11 names, first.
    for site in ["RU", "KZ", "BY", "US"]:
        for text in ["+49 89 1234567", "+49 89 12345678", "+49 30 901820", "+4930901820",
                     "+90 212 555 12 34", "+90 532 123 45 67", "+905321234567",
                     "+44 20 7946 0018", "+1 202 555 0143", "+7 916 123-45-67",
                     "+375 29 123-45-67", "+7 701 123 4567", "+49 89 1234567 ext. 12",
                     "+49 30 9018201234567", "+49 30 90182012345678", "+90 532 123 45 678",
                     "810 49 89 1234567", "00 49 89 1234567", "011 49 89 1234567"]:
            rows.append((site, text))
    for text in ["8 (916) 123-45-67", "+7 916 123 45 67", "89161234567", "9161234567",
                 "88 916 123 45 67", "889161234567", "8 916 123 45 67 8",
                 "+7 8 916 123 45 67", "7 916 123 45 67", "8 916 123-45-67 доб. 123",
                 "8 916 123-45-67 ext. 12", "8 916 123-45-67 x12", "8 916 123-45-67 #12",
                 "+7 (495) 123-45-67 доб.4567", "8 812 123 45 67", "+7 812 123-45-67",
                 "8 (843) 123-45-67", "88005553535", "+7 800 555-35-35", "8 809 123 45 67",
                 "8 803 123 45 67", "123", "8 916 123 45", "hello", "+999 1234567",
                 "8 916 123 45 678 90", "+7 916 123 45 67 89", "8-916-123-45-67, доб. 5"]:
        rows.append(("RU", text))
    for region in sorted(pn.SUPPORTED_REGIONS):
        for t in TYPES:
            example = pn.example_number_for_type(region, t)
            if example is not None:
                rows.extend(spellings(rng, region, example))
    for code in sorted(pn.COUNTRY_CODES_FOR_NON_GEO_REGIONS):
        example = pn.example_number_for_non_geo_entity(code)
        if example is not None:
            nsn = pn.national_significant_number(example)
            for site in ["RU", "US"]:
                rows.append((site, "+" + str(code) + nsn))
                rows.append((site, pn.format_number(example, F.INTERNATIONAL)))
    seen = set()
    out = sys.stdout
    out.write("# How libphonenumber 9.0.33 (Python port `phonenumbers`) reads each input.\n")
    out.write("# Written by phone_reference.py; do not edit by hand.\n")
    out.write("# site\tinput\te164|error\tkind|reason\tregion\textension\n")
    for site, text in rows:
        if (site, text) in seen or "\t" in text:
            continue
        seen.add((site, text))
        out.write(site + "\t" + text + "\t" + reference(site, text) + "\n")


main()
