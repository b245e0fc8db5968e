# Compile SOURCE (a magic file) with FILE_PROGRAM and write it as a C array
# to OUTPUT, so the program carries its own rules.
get_filename_component(name ${SOURCE} NAME)
file(COPY ${SOURCE} DESTINATION ${CMAKE_CURRENT_BINARY_DIR})
execute_process(COMMAND ${FILE_PROGRAM} -C -m ${name} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "file -C -m ${name} failed")
endif()
file(READ ${name}.mgc hex HEX)
string(LENGTH "${hex}" n)
math(EXPR bytes "${n} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," array "${hex}")
file(WRITE ${OUTPUT} "/* Generated from ${name} by embed.cmake. */\n#include <stddef.h>\n"
  "const unsigned char gk_text_magic[] = {${array}};\n"
  "const size_t gk_text_magic_len = ${bytes};\n")
