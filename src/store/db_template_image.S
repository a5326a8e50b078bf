/* The database template (tr/db_template.h) as read-only data of the binary: TR_TEMPLATE_FILE,
 * the path the Makefile passes, is the file tools/db_template.c wrote in this build. */
    .section .rodata
    .balign 64
    .globl tr_db_template_start
    .globl tr_db_template_end
tr_db_template_start:
    .incbin TR_TEMPLATE_FILE
tr_db_template_end:
    .section .note.GNU-stack, "", @progbits
