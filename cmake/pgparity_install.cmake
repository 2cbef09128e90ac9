# `cmake --install`: the libraries, their headers under include/pgparity/, the `pgparity`
# executable, and the CMake package (find_package(pgparity): pgparity::pgparity, pgparity::cli,
# pgparity_add_suite()). Proven by the `package/consumer` test (fixtures/cmake_consumer).
# Two install components: `runtime` (the command, its scripts, the exporter, the docs: the
# `pgparity` .deb) and `dev` (libraries, headers, CMake package: `pgparity-dev`); see
# cmake/pgparity_cpack.cmake and docs/install.md.
if(NOT TARGET pgparity_all)
  return()
endif()
include(CMakePackageConfigHelpers)

set(pgparity_libraries pgparity_warnings pgparity_all pgparity_database_test
    pgparity_shared_cluster)
foreach(module common manifest cluster migrate catalog checks probes engine report harness)
  if(TARGET pgparity_${module})
    list(APPEND pgparity_libraries pgparity_${module})
  endif()
endforeach()
set(pgparity_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/pgparity)

install(TARGETS ${pgparity_libraries} EXPORT pgparityTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev)
# Every module's headers (they include each other as "module/file.h"), not the test helpers.
install(DIRECTORY ${PGPARITY_SOURCE_DIR}/framework/
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/pgparity COMPONENT dev
        FILES_MATCHING PATTERN "*.h"
        PATTERN "*test_support.h" EXCLUDE
        PATTERN "test_database.h" EXCLUDE)
install(EXPORT pgparityTargets NAMESPACE pgparity:: DESTINATION ${pgparity_cmake_dir}
        COMPONENT dev)

configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/pgparityConfig.cmake.in
  ${CMAKE_BINARY_DIR}/pgparityConfig.cmake INSTALL_DESTINATION ${pgparity_cmake_dir})
write_basic_package_version_file(${CMAKE_BINARY_DIR}/pgparityConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/pgparityConfig.cmake
              ${CMAKE_BINARY_DIR}/pgparityConfigVersion.cmake
              ${CMAKE_CURRENT_LIST_DIR}/pgparity_suite.cmake
              ${CMAKE_CURRENT_LIST_DIR}/pgparity_discover.cmake
        DESTINATION ${pgparity_cmake_dir} COMPONENT dev)

# The scripts under names that say whose they are, beside `pgparity` on PATH. Each finds the
# other and `pgparity` relative to itself, so any prefix works (no path of this tree is kept).
install(PROGRAMS ${PGPARITY_SOURCE_DIR}/bin/pre-commit-check.sh
        DESTINATION ${CMAKE_INSTALL_BINDIR} RENAME pgparity-pre-commit-check COMPONENT runtime)
install(PROGRAMS ${PGPARITY_SOURCE_DIR}/scripts/install-git-hook.sh
        DESTINATION ${CMAKE_INSTALL_BINDIR} RENAME pgparity-install-hook COMPONENT runtime)
# The user guide, the changelog and the pre-commit framework's hook definitions.
install(DIRECTORY ${PGPARITY_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}
        COMPONENT runtime)
install(FILES ${PGPARITY_SOURCE_DIR}/README.md ${PGPARITY_SOURCE_DIR}/CHANGELOG.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT runtime)
