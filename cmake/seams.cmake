# The linker keeps the layers' seams. For each layer library L this links a
# shared object from all of L's objects (whole archive) and the libraries L
# declares, with --no-undefined: a function in L that calls into a layer L
# does not link against (a layer above it) is an undefined symbol, and the
# build fails there, naming the symbol.
#
# Sanitizer and fuzzer builds leave the check out: their runtimes are only
# linked into executables, so every shared object would have undefined
# symbols. The normal build in scripts/test always runs it.
function(bk_check_seams)
  if(BK_SANITIZE OR BK_FUZZ OR CMAKE_CROSSCOMPILING)
    return()
  endif()
  foreach(layer ${ARGN})
    add_library(${layer}_seams SHARED ${CMAKE_SOURCE_DIR}/cmake/seams.c)
    target_link_libraries(${layer}_seams PRIVATE "$<LINK_LIBRARY:WHOLE_ARCHIVE,${layer}>")
    target_link_options(${layer}_seams PRIVATE -Wl,--no-undefined)
    set_target_properties(${layer}_seams PROPERTIES LIBRARY_OUTPUT_DIRECTORY
                          ${CMAKE_BINARY_DIR}/seams)
  endforeach()
endfunction()
