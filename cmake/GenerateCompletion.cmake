# Writes one completion script: `FOLLOWUP completion SHELL` into OUTPUT.
# Run at build time by cmake/Install.cmake (cmake -P), so it needs nothing
# but the freshly built binary. Fails the build if the binary fails or
# prints nothing; writes through a temp file so a failed run leaves no
# half-written script behind.
foreach(var FOLLOWUP SHELL OUTPUT)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "GenerateCompletion.cmake: -D${var}=... is required")
  endif()
endforeach()

# The script must not depend on the builder's book or environment.
unset(ENV{FOLLOWUP_FILE})
unset(ENV{FOLLOWUP_TODAY})
set(ENV{NO_COLOR} 1)

execute_process(
  COMMAND "${FOLLOWUP}" completion "${SHELL}"
  OUTPUT_FILE "${OUTPUT}.tmp"
  ERROR_VARIABLE err
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  file(REMOVE "${OUTPUT}.tmp")
  message(FATAL_ERROR "`${FOLLOWUP} completion ${SHELL}` failed (${rc}): ${err}")
endif()
file(SIZE "${OUTPUT}.tmp" size)
if(size EQUAL 0)
  file(REMOVE "${OUTPUT}.tmp")
  message(FATAL_ERROR "`${FOLLOWUP} completion ${SHELL}` printed nothing")
endif()
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
