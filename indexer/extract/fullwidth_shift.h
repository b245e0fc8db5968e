/*
 * fullwidth_shift.h — Latin letters and digits that a class of broken PDF
 * fonts turns into rare Han characters, put back.
 *
 * Chinese standards and many documents typeset with the same tools embed
 * fonts whose full-width Latin glyphs map to GBK row 0xA0 instead of row
 * 0xA3: "GB/T" comes out as 犌犅／犜 and "Secure" as 犛犲犮狌狉犲. The trail
 * byte is kept, so the repair is exact.
 */
#ifndef GK_FULLWIDTH_SHIFT_H
#define GK_FULLWIDTH_SHIFT_H

#include <stddef.h>

/*
 * When TEXT (LEN bytes of UTF-8) holds three or more characters of GBK row
 * 0xA0 in a row (which no real text does: they are rare characters of
 * animals and oxen), replace every character of that row by the full-width
 * form of row 0xA3 with the same trail byte, in place (both are three
 * bytes in UTF-8). Returns how many characters were replaced.
 */
size_t gk_fullwidth_shift_repair(char *text, size_t len);

#endif
